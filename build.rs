//! Rebuilds kaiho when a built-in layout changes: `include_dir!` embeds `layouts/`, but
//! cargo does not know that the files it reads are inputs.

fn main() {
    println!("cargo:rerun-if-changed=layouts");
}
