//! Colour: the spaces a page paints in are listed, and for print they must be CMYK, grey or
//! spot inks (RGB would be converted by the shop, and colours would shift).

use std::collections::BTreeSet;

use super::Judge;

pub(super) fn judge(judge: &mut Judge<'_>) {
    let labels: BTreeSet<String> = judge.marks.spaces.iter().map(|s| s.label()).collect();
    let forbidden: Vec<&str> =
        labels.iter().filter(|s| !print_space(s)).map(String::as_str).collect();
    if judge.print() && !forbidden.is_empty() {
        let message = format!("colours that are not CMYK, grey or spot: {}", forbidden.join(", "));
        judge.error("colour", message);
    }
    judge.report().colour_spaces = labels;
}

/// Whether a space prints as inks without conversion.
fn print_space(label: &str) -> bool {
    matches!(label, "DeviceCMYK" | "DeviceGray" | "ICC/CMYK" | "ICC/Gray" | "Pattern")
        || label.starts_with("Separation/")
        || label.starts_with("DeviceN/")
}
