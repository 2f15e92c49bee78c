//! The search's tests: reading order, holes, spare lines, photos, galleries, pins,
//! siblings, stories and the photo at the head of a story's columns.

use super::*;

fn weights() -> Objective {
    Objective {
        hole: 2.0,
        underfill: 1.0,
        spread: 0.3,
        measure: 0.2,
        crop: 0.05,
        row: 0.5,
        mixed: 3.0,
        band: 3.0,
        empty: 5.0,
        inset: 1.0,
        parallel: 2.0,
        apart: 1.0,
        shrink: 12.0,
    }
}

fn space(columns: u32, lines: u32) -> Space {
    Space { columns, lines, gap: (1, 2), stack_gap: 1, band: f64::INFINITY, looser: 0.0 }
}

/// A block that may take any span of a `columns` grid, its lines shrinking as it widens.
fn text(id: &str, one_column: u32, columns: u32) -> Piece {
    Piece {
        id: id.into(),
        spans: (1..=columns).map(|s| Some(Height::fixed(one_column.div_ceil(s), 0.0))).collect(),
        row: RowPin::Free,
        kind: "text",
        breaks: Vec::new(),
        variants: Vec::new(),
        flow: Vec::new(),
    }
}

fn full(id: &str, lines: u32, columns: u32) -> Piece {
    let mut spans = vec![None; columns as usize];
    spans[columns as usize - 1] = Some(Height::fixed(lines, 0.0));
    let (breaks, variants) = (Vec::new(), Vec::new());
    let flow = Vec::new();
    Piece { id: id.into(), spans, row: RowPin::Free, kind: "headline", breaks, variants, flow }
}

fn order(a: &Arrangement) -> Vec<String> {
    a.rows.iter().flat_map(|r| &r.stacks).flat_map(|s| &s.cells).map(|c| c.id.clone()).collect()
}

#[test]
fn reading_order_is_kept() {
    let pieces: Vec<Piece> = (0..7).map(|i| text(&format!("b{i}"), 6 + i, 2)).collect();
    let a = arrange(&pieces, space(2, 40), &weights()).unwrap();
    assert_eq!(order(&a), (0..7).map(|i| format!("b{i}")).collect::<Vec<_>>());
    for row in &a.rows {
        assert_eq!(row.stacks.iter().map(|s| s.span).sum::<u32>(), 2);
    }
}

#[test]
fn balanced_stacks_beat_holes() {
    // Four blocks of 10, 10, 10, 10 lines in two columns: two stacks of two (21 lines
    // each, no hole) rather than rows of pairs with gaps.
    let pieces: Vec<Piece> = (0..4).map(|i| text(&format!("s{i}"), 10, 2)).collect();
    let a = arrange(&pieces, space(2, 21), &weights()).unwrap();
    assert_eq!(a.holes, 0, "{a:#?}");
    assert_eq!(a.over(21), 0);
}

#[test]
fn a_page_that_cannot_fit_says_by_how_much() {
    let pieces = vec![full("a", 30, 2), full("b", 30, 2)];
    let a = arrange(&pieces, space(2, 50), &weights()).unwrap();
    assert_eq!(a.over(50), 11);
}

#[test]
fn spare_lines_go_to_gaps_then_the_foot() {
    let pieces = vec![full("a", 10, 2), full("b", 10, 2), full("c", 10, 2)];
    let a = arrange(&pieces, space(2, 40), &weights()).unwrap();
    let gaps: Vec<u32> = a.rows.iter().map(|r| r.gap).collect();
    assert_eq!(gaps, [0, 2, 2]);
    assert_eq!(a.underfill, 40 - 30 - 4);
}

#[test]
fn photos_grow_to_fill_their_row() {
    let photo = Piece {
        id: "photo".into(),
        spans: vec![
            Some(Height {
                min: 8,
                max: 14,
                natural: 10,
                per_line: 0.1,
                cost: 0.0,
                blank: [0.0; 2],
                inset: None,
            }),
            None,
        ],
        row: RowPin::Free,
        kind: "photo",
        breaks: Vec::new(),
        variants: Vec::new(),
        flow: Vec::new(),
    };
    let mut beside = text("text", 13, 2);
    beside.spans[1] = None;
    let a = arrange(&[photo, beside], space(2, 13), &weights()).unwrap();
    assert_eq!(a.rows.len(), 1);
    assert_eq!(a.rows[0].stacks[0].cells[0].lines, 13);
    assert_eq!(a.holes, 0);
}

#[test]
fn a_gallery_takes_only_its_variants_the_larger_where_the_page_has_room() {
    // Across two columns: 10 lines six to a row, 22 three to a row; nothing between.
    let gallery = |id: &str| {
        let variant = |least, per_row| Variant {
            per_row,
            least,
            lines: vec![VariantLine { frame: None, blank: [0.0; 2] }],
        };
        Piece {
            id: id.into(),
            spans: vec![
                None,
                Some(Height {
                    min: 10,
                    max: 22,
                    natural: 10,
                    per_line: 0.6,
                    cost: 0.0,
                    blank: [0.0; 2],
                    inset: None,
                }),
            ],
            row: RowPin::Free,
            kind: "gallery",
            breaks: Vec::new(),
            variants: vec![Vec::new(), vec![variant(10, 6), variant(22, 3)]],
            flow: Vec::new(),
        }
    };
    let cell = |a: &Arrangement| a.rows[0].stacks[0].cells[0].clone();
    // A page of 25 lines: the larger photos fill it.
    let roomy = arrange(&[gallery("g")], space(2, 25), &weights()).unwrap();
    assert_eq!((cell(&roomy).lines, cell(&roomy).per_row), (22, Some(3)));
    // With a text of 12 lines under it, only the compact one fits.
    let pieces = [gallery("g"), full("t", 12, 2)];
    let full_page = arrange(&pieces, space(2, 25), &weights()).unwrap();
    assert_eq!((cell(&full_page).lines, cell(&full_page).per_row), (10, Some(6)));
    assert_eq!(full_page.over(25), 0);
    // A row taller than the compact gallery but short of the larger one: the gallery
    // stays compact (a height between is no gallery), under it a hole.
    let mut beside = text("t", 16, 2);
    beside.spans[1] = None;
    let mut narrow = gallery("g");
    narrow.spans = vec![narrow.spans[1], None];
    narrow.variants = vec![narrow.variants[1].clone(), Vec::new()];
    let row = arrange(&[narrow, beside], space(2, 16), &weights()).unwrap();
    assert_eq!((cell(&row).lines, cell(&row).per_row), (10, Some(6)));
    assert_eq!(row.holes, 6);
}

#[test]
fn pins_are_honoured() {
    let mut pieces: Vec<Piece> = (0..4).map(|i| text(&format!("b{i}"), 8, 2)).collect();
    pieces[1].row = RowPin::Same;
    pieces[2].row = RowPin::New;
    let a = arrange(&pieces, space(2, 60), &weights()).unwrap();
    let row_of = |id: &str| {
        a.rows.iter().position(|r| r.stacks.iter().any(|s| s.cells.iter().any(|c| c.id == id)))
    };
    assert_eq!(row_of("b0"), row_of("b1"));
    assert_ne!(row_of("b1"), row_of("b2"));
    let starts: Vec<&str> = a.rows.iter().map(|r| r.stacks[0].cells[0].id.as_str()).collect();
    assert!(starts.contains(&"b2"), "{starts:?}");
}

#[test]
fn siblings_of_one_kind_stand_as_equals() {
    // Three numbered sections, the last one long (its callout): balancing heights
    // alone sets the first alone beside the other two stacked at twice its width.
    let section = |id: &str, lines: [u32; 3]| Piece {
        id: id.into(),
        spans: lines.iter().map(|&l| Some(Height::fixed(l, 0.0))).collect(),
        row: RowPin::Free,
        kind: "section",
        breaks: Vec::new(),
        variants: Vec::new(),
        flow: Vec::new(),
    };
    let pieces =
        vec![section("s1", [8, 6, 5]), section("s2", [4, 3, 3]), section("s3", [13, 9, 8])];
    let equal = |a: &Arrangement| {
        a.rows.iter().all(|r| {
            r.stacks.iter().all(|s| s.span == r.stacks[0].span)
                && r.stacks.iter().all(|s| s.cells.len() == r.stacks[0].cells.len())
        })
    };
    let blind = Objective { parallel: 0.0, ..weights() };
    let a = arrange(&pieces, space(3, 16), &blind).unwrap();
    assert!(!equal(&a), "balancing alone sets them unequally: {a:#?}");
    let a = arrange(&pieces, space(3, 16), &weights()).unwrap();
    assert!(equal(&a), "{a:#?}");
    assert_eq!(order(&a), ["s1", "s2", "s3"]);
    // Blocks of different kinds are not siblings: a text beside a photo may be wider.
    let mixed = vec![text("t1", 8, 3), pieces[1].clone(), pieces[2].clone()];
    assert!(!unequal_siblings(
        &mixed,
        &RowShape { end: 3, stacks: vec![(0, 1, 1, false), (1, 3, 2, false)] }
    ));
    assert!(unequal_siblings(
        &pieces,
        &RowShape { end: 3, stacks: vec![(0, 1, 1, false), (1, 3, 2, false)] }
    ));
}

#[test]
fn a_photo_stands_with_its_story() {
    // Photo, story, photo, story, photo, story on two columns: balancing the columns
    // alone flows them 3 + 3, which ends the left column with the second photo while
    // its story starts the right one.
    let photo = |id: &str| Piece {
        id: id.into(),
        spans: vec![
            Some(Height { min: 7, max: 9, natural: 8, per_line: 0.5, ..Height::fixed(8, 0.0) }),
            Some(Height { min: 14, max: 18, natural: 16, per_line: 0.5, ..Height::fixed(16, 0.0) }),
        ],
        row: RowPin::Free,
        kind: "photo",
        breaks: Vec::new(),
        variants: Vec::new(),
        flow: Vec::new(),
    };
    let story = |id: &str, lines| Piece { kind: "text", ..text(id, lines, 2) };
    let pieces = vec![
        photo("p1"),
        story("t1", 10),
        photo("p2"),
        story("t2", 14),
        photo("p3"),
        story("t3", 6),
    ];
    let apart = |a: &Arrangement, photo: &str, text: &str| {
        let at = |id: &str| {
            a.rows.iter().enumerate().find_map(|(r, row)| {
                row.stacks
                    .iter()
                    .enumerate()
                    .find_map(|(k, st)| st.cells.iter().position(|c| c.id == id).map(|i| (r, k, i)))
            })
        };
        let ((r1, k1, i1), (r2, k2, i2)) = (at(photo).unwrap(), at(text).unwrap());
        let together = (r1, k1) == (r2, k2) || (r1 == r2 && i1 == 0 && i2 == 0);
        !together && a.rows[r1].stacks.len() > 1
    };
    let blind = Objective { apart: 0.0, ..weights() };
    let a = arrange(&pieces, space(2, 30), &blind).unwrap();
    assert!(apart(&a, "p2", "t2"), "balancing alone parts them: {a:#?}");
    let a = arrange(&pieces, space(2, 30), &weights()).unwrap();
    for (p, t) in [("p1", "t1"), ("p2", "t2"), ("p3", "t3")] {
        assert!(!apart(&a, p, t), "{p} apart from {t}: {a:#?}");
    }
    assert_eq!(order(&a), ["p1", "t1", "p2", "t2", "p3", "t3"]);
    // After a text, photos follow their stories: the text before each photo is its own.
    let follow = vec![story("t1", 7), photo("p1"), story("t2", 9), photo("p2")];
    assert!(paired(&follow, 0) && !paired(&follow, 1) && paired(&follow, 2));
    assert!(paired(&pieces, 0) && !paired(&pieces, 1));
}

#[test]
fn a_sparse_page_shares_its_space_between_more_rows() {
    // Two short texts on a tall page, best read side by side (across the page their
    // measure costs 10): side by side they leave one band at the foot; one row each,
    // the gap between them takes its share and the band left is smaller, which the
    // search prefers once such a band costs.
    let short = |id: &str| Piece {
        id: id.into(),
        spans: vec![Some(Height::fixed(4, 0.0)), Some(Height::fixed(3, 10.0))],
        row: RowPin::Free,
        kind: "text",
        breaks: Vec::new(),
        variants: Vec::new(),
        flow: Vec::new(),
    };
    let pieces = vec![short("a"), short("b")];
    let mut s = space(2, 40);
    let loose = arrange(&pieces, s, &weights()).unwrap();
    assert_eq!(loose.rows.len(), 1, "without a band limit, one row: {loose:#?}");
    s.band = 6.0;
    let banded = arrange(&pieces, s, &weights()).unwrap();
    assert_eq!(banded.rows.len(), 2, "{banded:#?}");
    assert_eq!(order(&banded), ["a", "b"]);
}

#[test]
fn the_band_left_counts_what_gaps_and_foot_cannot_take() {
    let mut s = Space { columns: 2, lines: 40, gap: (1, 2), stack_gap: 1, band: 5.0, looser: 0.0 };
    // 30 free lines, two gaps grow by 4 each, the foot keeps 5: 17 lines of band.
    assert!((band(s, 10, 3) - 17.0).abs() < 1e-9);
    // Loosening by a tenth, the 10 lines used take one more.
    s.looser = 0.1;
    assert!((band(s, 10, 3) - 16.0).abs() < 1e-9);
    assert_eq!(band(s, 38, 1), 0.0);
    assert_eq!(band(s, 45, 2), 0.0);
}

#[test]
fn a_block_allowed_no_span_makes_the_grid_unusable() {
    let p = Piece {
        id: "x".into(),
        spans: vec![None, None],
        row: RowPin::Free,
        kind: "text",
        breaks: Vec::new(),
        variants: Vec::new(),
        flow: Vec::new(),
    };
    assert!(arrange(&[p], space(2, 40), &weights()).is_none());
}

#[test]
fn a_photo_stands_at_the_head_of_its_storys_columns_rather_than_over_a_hole() {
    // A photo of 8 lines one column wide (14 across two, 20 across three), then its
    // story: a heading of 2 lines over 40 lines of text in one column.
    let photo = Piece {
        id: "photo".into(),
        spans: vec![
            Some(Height::fixed(8, 0.0)),
            Some(Height::fixed(14, 0.0)),
            Some(Height::fixed(20, 0.0)),
        ],
        row: RowPin::Free,
        kind: "photo",
        breaks: Vec::new(),
        variants: Vec::new(),
        flow: Vec::new(),
    };
    let story = Piece {
        spans: (1..=3).map(|s| Some(Height::fixed(2 + 40_u32.div_ceil(s), 0.0))).collect(),
        flow: vec![Some((2, 40)); 3],
        ..text("story", 40, 3)
    };
    assert_eq!(wrapped(&[photo.clone(), story.clone()], 0, 3, 1), Some(2 + 17));
    // On 30 lines the photo across the page over its story does not fit (20 + 1 + 16);
    // beside its story in two columns (22 lines) it leaves 14 lines empty under it.
    let a = arrange(&[photo.clone(), story.clone()], space(3, 30), &weights()).unwrap();
    let stack = &a.rows[0].stacks[0];
    assert!(stack.wrap && stack.span == 3, "{a:#?}");
    let lines: Vec<u32> = stack.cells.iter().map(|c| c.lines).collect();
    assert_eq!(lines, [8, 19], "the photo at its own height, the story the stack's");
    assert_eq!(order(&a), ["photo", "story"]);
    assert_eq!(a.holes, 0);
    // A story too short to fill the columns beside and under the photo: never.
    let short = Piece { flow: vec![Some((2, 6)); 3], ..story };
    assert_eq!(wrapped(&[photo, short], 0, 3, 1), None);
}
