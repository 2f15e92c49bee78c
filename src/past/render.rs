//! Pages of a past issue's PDF as pictures, with hayro (the renderer typst-render uses for
//! PDF images): the catalogue's thumbnail of page 1, and the image OCR reads.

use hayro::vello_cpu::color::palette::css::WHITE;
use hayro_syntax::page::Page;

/// The largest side of a rendering, in pixels (hayro's pixmaps are at most 65 535 wide).
const MAX_SIDE: f32 = 12_000.0;

/// `page` as it prints, on white, at `ppi` (fewer pixels for a page too large for it).
pub fn render(page: &Page<'_>, ppi: f32) -> image::RgbImage {
    let (width, height) = page.render_dimensions();
    let scale = (ppi / 72.0).min(MAX_SIDE / width.max(height).max(1.0));
    let settings = hayro::RenderSettings {
        x_scale: scale,
        y_scale: scale,
        bg_color: WHITE,
        ..hayro::RenderSettings::default()
    };
    let cache = hayro::RenderCache::new();
    let pixmap = hayro::render(page, &cache, &crate::pdf::interpreter_settings(), &settings);
    let (w, h) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    // On an opaque white ground every pixel is opaque, so premultiplied RGB is plain RGB.
    let rgb: Vec<u8> =
        pixmap.data_as_u8_slice().chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    image::RgbImage::from_raw(w, h, rgb).unwrap_or_else(|| image::RgbImage::new(1, 1))
}

/// An image as PNG bytes.
pub fn png(image: &image::DynamicImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding an in-memory image into memory cannot fail for these formats.
    let _ = image.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}
