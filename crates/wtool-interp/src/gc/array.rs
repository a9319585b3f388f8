//! Array elements packed by width: `i8`, `i16` and 32-bit elements share
//! 64-bit slots (8, 4 and 2 to a slot, low bits first), 64-bit values and
//! references take one slot, `v128` two. A byte array costs a byte per
//! element, as in other engines, and a large zeroed array is allocated
//! zeroed by the system, so its untouched pages cost nothing.

use super::Elem;

impl Elem {
    /// Bits per element for the kinds that share a slot.
    #[inline]
    fn narrow_bits(self) -> Option<u32> {
        match self {
            Elem::I8 => Some(8),
            Elem::I16 => Some(16),
            Elem::N32 => Some(32),
            _ => None,
        }
    }

    /// Slots that hold `n` elements.
    pub(crate) fn array_slots(self, n: u64) -> Option<usize> {
        let n = usize::try_from(n).ok()?;
        match self.narrow_bits() {
            Some(b) => Some(n.div_ceil((64 / b) as usize)),
            None => n.checked_mul(self.slots()),
        }
    }

    /// Element `i` of an array's slots (in bounds) as its value's slots.
    #[inline]
    pub(crate) fn get(self, data: &[u64], i: usize) -> Option<(u64, u64)> {
        match self.narrow_bits() {
            Some(b) => {
                let per = (64 / b) as usize;
                let v = *data.get(i / per)? >> ((i % per) as u32 * b);
                Some((v & (u64::MAX >> (64 - b)), 0))
            }
            None if self == Elem::V128 => Some((*data.get(2 * i)?, *data.get(2 * i + 1)?)),
            None => Some((*data.get(i)?, 0)),
        }
    }

    /// Sets element `i` (in bounds) to the value in slots `lo`/`hi`.
    #[inline]
    pub(crate) fn set(self, data: &mut [u64], i: usize, lo: u64, hi: u64) -> Option<()> {
        match self.narrow_bits() {
            Some(b) => {
                let per = (64 / b) as usize;
                let shift = (i % per) as u32 * b;
                let mask = (u64::MAX >> (64 - b)) << shift;
                let s = data.get_mut(i / per)?;
                *s = (*s & !mask) | ((lo << shift) & mask);
            }
            None if self == Elem::V128 => {
                *data.get_mut(2 * i)? = lo;
                *data.get_mut(2 * i + 1)? = hi;
            }
            None => *data.get_mut(i)? = lo,
        }
        Some(())
    }

    /// Sets elements `start..start + n` to one value.
    pub(crate) fn fill(
        self,
        data: &mut [u64],
        start: usize,
        n: usize,
        lo: u64,
        hi: u64,
    ) -> Option<()> {
        let end = start.checked_add(n)?;
        match self.narrow_bits() {
            None if self != Elem::V128 => data.get_mut(start..end)?.fill(lo),
            None => {
                for i in start..end {
                    self.set(data, i, lo, hi)?;
                }
            }
            // Whole slots at once with the value repeated across them; the
            // partial slots at either end element by element.
            Some(b) => {
                let per = (64 / b) as usize;
                let first_full = start.div_ceil(per) * per;
                let last_full = end / per * per;
                if first_full >= last_full {
                    return (start..end).try_for_each(|i| self.set(data, i, lo, hi));
                }
                let v = lo & (u64::MAX >> (64 - b));
                let pattern = (0..per).fold(0, |p, k| p | v << (k as u32 * b));
                data.get_mut(first_full / per..last_full / per)?
                    .fill(pattern);
                (start..first_full)
                    .chain(last_full..end)
                    .try_for_each(|i| self.set(data, i, lo, hi))?;
            }
        }
        Some(())
    }

    /// Copies `n` elements from `src` at `s` to `dst` at `d` (distinct
    /// arrays, or the same one through [`Elem::copy_within`]).
    pub(crate) fn copy(
        self,
        dst: &mut [u64],
        d: usize,
        src: &[u64],
        s: usize,
        n: usize,
    ) -> Option<()> {
        for k in 0..n {
            let (lo, hi) = self.get(src, s + k)?;
            self.set(dst, d + k, lo, hi)?;
        }
        Some(())
    }

    /// Copies `n` elements within one array, as if through a buffer.
    pub(crate) fn copy_within(self, data: &mut [u64], d: usize, s: usize, n: usize) -> Option<()> {
        if self.narrow_bits().is_none() {
            let k = self.slots();
            let from = s * k..(s + n) * k;
            data.get(from.clone())?;
            data.get(d * k..(d + n) * k)?;
            data.copy_within(from, d * k);
            return Some(());
        }
        let step = |k: usize| -> Option<()> {
            let (lo, hi) = self.get(data, s + k)?;
            self.set(data, d + k, lo, hi)
        };
        let mut step = step;
        if d <= s {
            (0..n).try_for_each(&mut step)
        } else {
            (0..n).rev().try_for_each(&mut step)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_elements_do_not_disturb_their_neighbours() {
        for (elem, max) in [
            (Elem::I8, 0xffu64),
            (Elem::I16, 0xffff),
            (Elem::N32, 0xffff_ffff),
        ] {
            let n = 37;
            let mut data = vec![0u64; elem.array_slots(n as u64).unwrap()];
            for i in 0..n {
                // Wider than the element: only its low bits may land.
                elem.set(&mut data, i, (i as u64 * 0x0101_0101_0101) | !max, 0)
                    .unwrap();
            }
            for i in 0..n {
                assert_eq!(
                    elem.get(&data, i),
                    Some(((i as u64 * 0x0101_0101_0101) & max, 0))
                );
            }
            elem.copy_within(&mut data, 3, 1, 20).unwrap();
            assert_eq!(elem.get(&data, 3).unwrap().0, 0x0101_0101_0101 & max);
            assert_eq!(
                elem.get(&data, 22).unwrap().0,
                (20 * 0x0101_0101_0101) & max
            );
            assert_eq!(elem.get(&data, 2).unwrap().0, (2 * 0x0101_0101_0101) & max);
        }
        let mut data = vec![0u64; 4];
        Elem::I16.fill(&mut data, 3, 10, 0x1_abcd, 0).unwrap();
        let got: Vec<u64> = (0..16)
            .map(|i| Elem::I16.get(&data, i).unwrap().0)
            .collect();
        let want: Vec<u64> = (0..16)
            .map(|i| if (3..13).contains(&i) { 0xabcd } else { 0 })
            .collect();
        assert_eq!(got, want);
        assert_eq!(Elem::I8.array_slots(9), Some(2));
        assert_eq!(Elem::V128.array_slots(3), Some(6));
        assert_eq!(Elem::I8.get(&[0], 8), None);
    }
}
