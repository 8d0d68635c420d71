//! Turning a scan upright, as a reader sees the page: the CTM may rotate or
//! flip the image (sideways scans) and /Rotate turns the whole page.

use super::images::Gray;
use crate::inspect::budget::{Budget, Stopped};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Right,
    Left,
    Up,
    Down,
}

/// The direction of page vector (x, y) (y up) once the page is turned
/// `rotate` degrees clockwise for display.
pub(super) fn direction(x: f64, y: f64, rotate: i64) -> Dir {
    let (x, y) = match rotate {
        90 => (y, -x),
        180 => (-x, -y),
        270 => (-y, x),
        _ => (x, y),
    };
    if x.abs() >= y.abs() {
        if x >= 0.0 {
            Dir::Right
        } else {
            Dir::Left
        }
    } else if y >= 0.0 {
        Dir::Up
    } else {
        Dir::Down
    }
}

/// How a raster is turned to read as displayed: the CTM may rotate or flip
/// the image (90° scans) and /Rotate turns the whole page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Turn {
    /// Where the image's columns advance, on the page as shown.
    cols: Dir,
    /// Where its rows (top to bottom) advance.
    rows: Dir,
}

impl Turn {
    pub(super) fn of(ctm: &[f64; 6], rotate: i64) -> Turn {
        // Columns advance along the image x axis; rows (top to bottom) run against its y axis.
        Turn {
            cols: direction(ctm[0], ctm[1], rotate),
            rows: direction(-ctm[2], -ctm[3], rotate),
        }
    }

    fn across(self) -> bool {
        matches!(self.cols, Dir::Right | Dir::Left)
    }

    /// Already upright: the raster is used as it lies.
    pub(super) fn is_identity(self) -> bool {
        self.cols == Dir::Right && self.rows == Dir::Down
    }

    /// Width and height once turned.
    pub(super) fn size(self, w: usize, h: usize) -> (usize, usize) {
        if self.across() {
            (w, h)
        } else {
            (h, w)
        }
    }
}

/// The top `rows` of `src` turned, row by row under `budget`.
pub(super) fn upright_rows(
    src: &Gray,
    turn: Turn,
    rows: usize,
    budget: &Budget,
) -> Result<Gray, Stopped> {
    let (w, h) = (src.width, src.height);
    let across = turn.across();
    let (out_w, out_h) = turn.size(w, h);
    let out_h = rows.min(out_h);
    let mut pixels = vec![255u8; out_w * out_h];
    for y in 0..out_h {
        budget.stopped()?;
        for x in 0..out_w {
            let (i, j) = if across {
                (
                    if turn.cols == Dir::Right {
                        x
                    } else {
                        w - 1 - x
                    },
                    if turn.rows == Dir::Down { y } else { h - 1 - y },
                )
            } else {
                (
                    if turn.cols == Dir::Down { y } else { w - 1 - y },
                    if turn.rows == Dir::Right {
                        x
                    } else {
                        h - 1 - x
                    },
                )
            };
            pixels[y * out_w + x] = src.pixels[j * w + i];
        }
    }
    Ok(Gray {
        width: out_w,
        height: out_h,
        pixels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unlimited() -> Budget {
        Budget::new(std::time::Duration::MAX)
    }

    fn upright(src: &Gray, ctm: &[f64; 6], rotate: i64) -> Gray {
        let turn = Turn::of(ctm, rotate);
        let (_, rows) = turn.size(src.width, src.height);
        upright_rows(src, turn, rows, &unlimited()).unwrap()
    }

    fn sample() -> Gray {
        // 3 × 2: row 0 = 1 2 3, row 1 = 4 5 6.
        Gray {
            width: 3,
            height: 2,
            pixels: vec![1, 2, 3, 4, 5, 6],
        }
    }

    #[test]
    fn upright_keeps_an_unrotated_image() {
        let g = upright(&sample(), &[300.0, 0.0, 0.0, 200.0, 0.0, 0.0], 0);
        assert_eq!(g, sample());
    }

    #[test]
    fn upright_turns_a_sideways_scan() {
        // Image x axis drawn upwards, y axis leftwards: rotated 90° anticlockwise on the page.
        let g = upright(&sample(), &[0.0, 300.0, -200.0, 0.0, 200.0, 0.0], 0);
        assert_eq!((g.width, g.height), (2, 3));
        // Seen on the page the image's first column (1, 4) is the bottom row, read right to left.
        assert_eq!(g.pixels, vec![3, 6, 2, 5, 1, 4]);
        // /Rotate 90 on an upright image gives the mirror turn.
        let r = upright(&sample(), &[300.0, 0.0, 0.0, 200.0, 0.0, 0.0], 90);
        assert_eq!((r.width, r.height), (2, 3));
        assert_eq!(r.pixels, vec![4, 1, 5, 2, 6, 3]);
        // The two together cancel out.
        let back = upright(&sample(), &[0.0, 300.0, -200.0, 0.0, 200.0, 0.0], 90);
        assert_eq!(back, sample());
    }

    #[test]
    fn flipped_and_half_turned_images() {
        let g = upright(&sample(), &[-300.0, 0.0, 0.0, -200.0, 300.0, 200.0], 0);
        assert_eq!(g.pixels, vec![6, 5, 4, 3, 2, 1]);
        let r = upright(&sample(), &[300.0, 0.0, 0.0, 200.0, 0.0, 0.0], 180);
        assert_eq!(r.pixels, vec![6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn a_stopped_budget_stops_turning() {
        let budget = Budget::new(std::time::Duration::from_secs(60));
        budget.cancel();
        let turn = Turn::of(&[0.0, 300.0, -200.0, 0.0, 200.0, 0.0], 0);
        assert_eq!(upright_rows(&sample(), turn, 3, &budget), Err(Stopped));
    }
}
