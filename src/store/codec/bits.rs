//! Bit-level building blocks of the block formats: a bit writer and reader (most
//! significant bit first), varints and zigzag, Gorilla's variable-length signed
//! integers and its XOR coding of floats. Pure functions, no I/O; a damaged input is an
//! error, never a panic.

use super::CodecError;

pub(crate) struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    bits: u32,
}

impl BitWriter {
    pub(crate) fn new(out: Vec<u8>) -> BitWriter {
        BitWriter {
            out,
            acc: 0,
            bits: 0,
        }
    }

    /// Writes the low `n` bits of `v`, most significant first (n <= 64).
    pub(crate) fn put(&mut self, v: u64, n: u32) {
        if n == 0 {
            return;
        }
        if n > 32 {
            self.put(v >> 32, n - 32);
            self.put(v & 0xFFFF_FFFF, 32);
            return;
        }
        let v = v & ((1u64 << n) - 1);
        self.acc = (self.acc << n) | v;
        self.bits += n;
        while self.bits >= 8 {
            self.bits -= 8;
            self.out.push((self.acc >> self.bits) as u8);
        }
        self.acc &= (1u64 << self.bits) - 1;
    }

    pub(crate) fn bit(&mut self, b: bool) {
        self.put(u64::from(b), 1);
    }

    pub(crate) fn finish(mut self) -> Vec<u8> {
        if self.bits > 0 {
            let pad = 8 - self.bits;
            self.put(0, pad);
        }
        self.out
    }
}

pub(crate) struct BitReader<'a> {
    data: &'a [u8],
    pos: usize, // in bits
}

impl<'a> BitReader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> BitReader<'a> {
        BitReader { data, pos: 0 }
    }

    /// Reads `n` bits (n <= 64), most significant first.
    pub(crate) fn get(&mut self, n: u32) -> Result<u64, CodecError> {
        if n == 0 {
            return Ok(0);
        }
        if n > 32 {
            let hi = self.get(n - 32)?;
            let lo = self.get(32)?;
            return Ok((hi << 32) | lo);
        }
        let end = self.pos + n as usize;
        if end > self.data.len() * 8 {
            return Err(CodecError::Truncated);
        }
        // Up to 32 bits starting anywhere in a byte span 5 bytes at most.
        let first = self.pos / 8;
        let last = (end - 1) / 8;
        let mut acc = 0u64;
        for &b in &self.data[first..=last] {
            acc = (acc << 8) | u64::from(b);
        }
        let spare = (last + 1) * 8 - end;
        self.pos = end;
        Ok((acc >> spare) & ((1u64 << n) - 1))
    }

    pub(crate) fn bit(&mut self) -> Result<bool, CodecError> {
        Ok(self.get(1)? == 1)
    }
}

// ---------------------------------------------------------------- varints

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn get_varint(data: &[u8], pos: &mut usize) -> Result<u64, CodecError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos).ok_or(CodecError::Truncated)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Ok(v);
        }
    }
    Err(CodecError::Damaged("varint too long"))
}

pub(crate) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(crate) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// `n` bytes at `pos`, moving `pos` on.
pub(crate) fn take<'a>(data: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], CodecError> {
    let end = pos.checked_add(n).ok_or(CodecError::Truncated)?;
    let b = data.get(*pos..end).ok_or(CodecError::Truncated)?;
    *pos = end;
    Ok(b)
}

/// One byte at `pos`, moving `pos` on.
pub(crate) fn byte(data: &[u8], pos: &mut usize) -> Result<u8, CodecError> {
    Ok(take(data, pos, 1)?[0])
}

// ---------------------------------------------------------------- signed buckets

/// Gorilla's variable-length signed integers: '0' for 0, then buckets of 7, 12, 20 bits,
/// and 64 bits for anything else.
pub(crate) fn put_signed(w: &mut BitWriter, v: i64) {
    if v == 0 {
        w.bit(false);
        return;
    }
    for (prefix, prefix_bits, bits) in [(0b10u64, 2u32, 7u32), (0b110, 3, 12), (0b1110, 4, 20)] {
        let limit = 1i64 << (bits - 1);
        if (-limit..limit).contains(&v) {
            w.put(prefix, prefix_bits);
            w.put(v as u64, bits);
            return;
        }
    }
    w.put(0b1111, 4);
    w.put(v as u64, 64);
}

pub(crate) fn get_signed(r: &mut BitReader<'_>) -> Result<i64, CodecError> {
    if !r.bit()? {
        return Ok(0);
    }
    let bits = if !r.bit()? {
        7
    } else if !r.bit()? {
        12
    } else if !r.bit()? {
        20
    } else {
        return Ok(r.get(64)? as i64);
    };
    let raw = r.get(bits)?;
    // sign-extend
    let shift = 64 - bits;
    Ok(((raw << shift) as i64) >> shift)
}

// ---------------------------------------------------------------- XOR floats

/// Gorilla's XOR coding of a series of `width`-bit floats (as raw bits).
pub(crate) fn put_xor(w: &mut BitWriter, values: &[u64], width: u32) {
    let Some((&first, rest)) = values.split_first() else {
        return;
    };
    w.put(first, width);
    let (lead_bits, len_bits) = if width == 64 { (6, 6) } else { (5, 5) };
    let mut prev = first;
    let mut window: Option<(u32, u32)> = None; // (leading zeros, meaningful length)
    for &v in rest {
        let x = v ^ prev;
        prev = v;
        if x == 0 {
            w.bit(false);
            continue;
        }
        w.bit(true);
        let lead = (x.leading_zeros() - (64 - width)).min((1 << lead_bits) - 1);
        let trail = x.trailing_zeros();
        let len = width - lead - trail;
        match window {
            Some((wl, wlen)) if lead >= wl && lead + len <= wl + wlen => {
                w.bit(false);
                let wtrail = width - wl - wlen;
                w.put(x >> wtrail, wlen);
            }
            _ => {
                w.bit(true);
                w.put(u64::from(lead), lead_bits);
                // Length 1..=width, stored minus one.
                w.put(u64::from(len - 1), len_bits);
                w.put(x >> trail, len);
                window = Some((lead, len));
            }
        }
    }
}

pub(crate) fn get_xor(r: &mut BitReader<'_>, n: usize, width: u32) -> Result<Vec<u64>, CodecError> {
    let mut out = Vec::with_capacity(n.min(1 << 20));
    if n == 0 {
        return Ok(out);
    }
    let (lead_bits, len_bits) = if width == 64 { (6, 6) } else { (5, 5) };
    let mut prev = r.get(width)?;
    out.push(prev);
    let mut window: Option<(u32, u32)> = None;
    for _ in 1..n {
        if !r.bit()? {
            out.push(prev);
            continue;
        }
        let (lead, len) = if !r.bit()? {
            window.ok_or(CodecError::Damaged("XOR window used before it was set"))?
        } else {
            let lead = r.get(lead_bits)? as u32;
            let len = r.get(len_bits)? as u32 + 1;
            if lead + len > width {
                return Err(CodecError::Damaged("XOR window out of range"));
            }
            window = Some((lead, len));
            (lead, len)
        };
        let trail = width - lead - len;
        let x = r.get(len)? << trail;
        prev ^= x;
        out.push(prev);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_read_back_at_any_alignment() {
        let mut w = BitWriter::new(Vec::new());
        let items: Vec<(u64, u32)> = (0..200u64)
            .map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15), (i % 64) as u32 + 1))
            .collect();
        for (v, n) in &items {
            w.put(*v, *n);
        }
        let data = w.finish();
        let mut r = BitReader::new(&data);
        for (v, n) in &items {
            let mask = if *n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            assert_eq!(r.get(*n).unwrap(), v & mask, "{n} bits");
        }
        assert!(BitReader::new(&data[..3]).get(32).is_err());
    }
}
