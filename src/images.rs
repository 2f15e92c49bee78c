//! Photos for print: colour conversion, and resolution at the placed size.
//!
//! The print profile allows only CMYK and grey. A photo from a phone is RGB (and a PNG may
//! have transparency, which PDF/X-1a forbids), so for print kaiho flattens such images on
//! white and converts them to a CMYK JPEG with a simple formula (full black generation) and
//! says so: the colours of a converted photo may shift, and a designer's CMYK file is
//! better. Greyscale images and CMYK JPEGs pass unchanged. After typesetting, every photo's
//! resolution at its placed size is checked against the 300 ppi print shops ask for. For
//! screens and the archive (sRGB), CMYK JPEGs go the other way, to RGB.

use std::path::Path;

use image::{DynamicImage, GenericImageView};
use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;

use crate::diag::Diagnostic;
use crate::model::{Block, Volume};
use crate::preflight::MIN_IMAGE_PPI;
use crate::profile::Profile;

/// A photo as Typst will see it: its virtual path, the file it came from, its bytes.
pub struct Prepared {
    /// Its path as validated (`/images/N.ext`), before conversion: how blocks name it.
    pub src: String,
    /// Path inside the virtual project, e.g. `/images/0.jpg`.
    pub virtual_path: String,
    /// The file on disk.
    pub file: std::path::PathBuf,
    /// The bytes handed to Typst (converted for print when needed).
    pub bytes: Bytes,
    /// The block the photo belongs to, for locating reports.
    pub block: Block,
    /// Width and height in pixels (the composition sizes frames by them).
    pub pixels: (u32, u32),
}

/// Reads the volume's photos (of photos, profiles and galleries), converting them for
/// `profile`; returns notes on conversions.
pub fn prepare(
    volume: &Volume,
    file: &Path,
    profile: Profile,
) -> Result<(Vec<Prepared>, Vec<Diagnostic>), Diagnostic> {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for block in volume.pages.iter().flat_map(|p| &p.blocks) {
        for (src, image_file) in block.kind.images() {
            let one = Source { src, file: image_file, block };
            let (virtual_path, bytes, pixels) = prepare_one(&one, file, profile, &mut notes)?;
            out.push(Prepared {
                src: src.to_owned(),
                virtual_path,
                file: image_file.to_path_buf(),
                bytes,
                block: block.clone(),
                pixels,
            });
        }
    }
    Ok((out, notes))
}

/// One image of a block, as validated.
struct Source<'a> {
    src: &'a str,
    file: &'a Path,
    block: &'a Block,
}

/// Reads one image: its virtual path, bytes for Typst and pixel size.
fn prepare_one(
    photo: &Source,
    file: &Path,
    profile: Profile,
    notes: &mut Vec<Diagnostic>,
) -> Result<(String, Bytes, (u32, u32)), Diagnostic> {
    let block = photo.block;
    let raw = std::fs::read(photo.file)
        .map_err(|e| Diagnostic::error(photo.file, format!("cannot read the image: {e}")))?;
    let mut virtual_path = photo.src.to_owned();
    let mut bytes = Bytes::new(raw.clone());
    let decode = || {
        image::load_from_memory(&raw).map_err(|e| {
            let shown = crate::diag::display_path(photo.file);
            Diagnostic::error(file, format!("the image `{}` cannot be read: {e}", shown.display()))
                .at(block.at)
                .path(block.id.clone())
                .hint("save it again as a JPEG or PNG")
        })
    };
    if profile != Profile::Print && is_cmyk_jpeg(&raw) {
        // Screens and PDF/A (which kaiho writes in sRGB) take RGB images.
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&decode()?.to_rgb8())
            .map_err(|e| {
                Diagnostic::error(file, format!("cannot convert the image to RGB: {e}"))
            })?;
        bytes = Bytes::new(jpeg);
    }
    if profile == Profile::Print {
        let image = decode()?;
        if needs_conversion(&raw, &image) {
            let jpeg = cmyk_jpeg(&image).map_err(|e| {
                Diagnostic::error(file, format!("cannot convert the image to CMYK: {e}"))
                    .at(block.at)
                    .path(block.id.clone())
            })?;
            bytes = Bytes::new(jpeg);
            // Typst tells image formats by the extension.
            virtual_path =
                format!("{}.jpg", photo.src.rsplit_once('.').map_or(photo.src, |(stem, _)| stem));
            notes.push(
                Diagnostic::warning(
                    file,
                    format!(
                        "the image `{}` is RGB; it was converted to CMYK for print",
                        crate::diag::display_path(photo.file).display()
                    ),
                )
                .at(block.at)
                .path(block.id.clone())
                .hint(
                    "colours of a converted photo may shift; for exact colour, supply a CMYK JPEG",
                ),
            );
        }
    }
    let pixels = image::ImageReader::new(std::io::Cursor::new(&raw))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .ok_or_else(|| {
            decode().err().unwrap_or_else(|| Diagnostic::error(file, "the image has no size"))
        })?;
    Ok((virtual_path, bytes, pixels))
}

/// Whether an image must be converted for print: anything but opaque greyscale and CMYK
/// JPEGs (which `image` decodes to RGB, so those are recognised by their header).
fn needs_conversion(raw: &[u8], image: &DynamicImage) -> bool {
    if is_cmyk_jpeg(raw) {
        return false;
    }
    !matches!(image, DynamicImage::ImageLuma8(_) | DynamicImage::ImageLuma16(_))
}

/// A JPEG whose frame header declares four components (CMYK or YCCK).
fn is_cmyk_jpeg(raw: &[u8]) -> bool {
    if !raw.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut i = 2;
    while i + 9 < raw.len() {
        if raw[i] != 0xFF {
            return false;
        }
        let marker = raw[i + 1];
        let length = usize::from(u16::from_be_bytes([raw[i + 2], raw[i + 3]]));
        // Start of frame (baseline, extended, progressive): components at offset 9.
        if matches!(marker, 0xC0..=0xC2) {
            return raw[i + 9] == 4;
        }
        i += 2 + length;
    }
    false
}

/// Flattens on white and converts to CMYK with full black generation, as a JPEG.
fn cmyk_jpeg(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let rgba = image.to_rgba8();
    let (width, height) = image.dimensions();
    let mut cmyk = Vec::with_capacity(rgba.len());
    for pixel in rgba.pixels() {
        let a = f32::from(pixel[3]) / 255.0;
        let channel = |v: u8| (f32::from(v) / 255.0) * a + (1.0 - a);
        let (r, g, b) = (channel(pixel[0]), channel(pixel[1]), channel(pixel[2]));
        let k = 1.0 - r.max(g).max(b);
        let (c, m, y) = if k >= 1.0 {
            (0.0, 0.0, 0.0)
        } else {
            ((1.0 - r - k) / (1.0 - k), (1.0 - g - k) / (1.0 - k), (1.0 - b - k) / (1.0 - k))
        };
        cmyk.extend([c, m, y, k].map(|v| (v * 255.0).round() as u8));
    }
    let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(format!("{width} × {height} pixels is larger than a JPEG can hold (65535)"));
    };
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 92)
        .encode(&cmyk, w, h, jpeg_encoder::ColorType::Cmyk)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The volume as the layout should see it: image paths pointing at the prepared files,
/// and the pixels of profile and gallery pictures.
pub fn with_prepared_paths(volume: &Volume, photos: &[Prepared]) -> Volume {
    let mut volume = volume.clone();
    for block in volume.pages.iter_mut().flat_map(|p| &mut p.blocks) {
        for (src, pixels) in block.kind.images_mut() {
            if let Some(prepared) = photos.iter().find(|p| p.src == *src) {
                *src = prepared.virtual_path.clone();
                if let Some(pixels) = pixels {
                    *pixels = [prepared.pixels.0, prepared.pixels.1];
                }
            }
        }
    }
    volume
}

/// Photos whose resolution at their placed size is below what print shops ask for.
pub fn resolution(document: &PagedDocument, photos: &[Prepared], file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in document.pages() {
        walk(&page.frame, 1.0, &mut |image: &typst::visualize::Image, width_pt: f64| {
            let ImageKind::Raster(raster) = image.kind() else { return };
            let Some(photo) = photos.iter().find(|p| p.bytes == *raster.data()) else { return };
            let ppi = f64::from(raster.width()) / (width_pt / 72.0);
            if ppi < MIN_IMAGE_PPI - 0.5 {
                out.push(
                    Diagnostic::error(file, format!("the image `{}` prints at {ppi:.0} ppi, less than the {MIN_IMAGE_PPI:.0} ppi print shops ask for", crate::diag::display_path(&photo.file).display()))
                        .at(photo.block.at)
                        .path(photo.block.id.clone())
                        .hint(format!(
                            "use an image at least {:.0} pixels wide for this place, or build with --profile screen",
                            (width_pt / 72.0 * MIN_IMAGE_PPI).ceil()
                        )),
                );
            }
        });
    }
    out
}

fn walk(frame: &Frame, scale: f64, visit: &mut impl FnMut(&typst::visualize::Image, f64)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk(&group.frame, scale * group.transform.sx.get(), visit),
            FrameItem::Image(image, size, _) => visit(image, size.x.to_pt() * scale),
            _ => {}
        }
    }
}
