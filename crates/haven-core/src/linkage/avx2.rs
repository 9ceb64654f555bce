//! The Dice kernel for 1024-bit CLKs (the usual size) on x86-64 with AVX2, through
//! `pulp`'s safe wrappers of the intrinsics. A pair costs four ANDs and a nibble-table
//! popcount (Muła's `pshufb` method) whose byte counts are summed across the four
//! vectors before one `psadbw`, so the horizontal sum is paid once per pair instead of
//! once per vector, which is what the compiler's own vectorisation of `count_ones` does.

use core::arch::x86_64::__m256i;
use pulp::bytemuck::cast;
use pulp::x86::V3;

/// One 1024-bit CLK as four AVX2 vectors.
pub type Clk1024 = [__m256i; 4];

pub fn load(words: &[u64]) -> Option<Clk1024> {
    let w: &[u64; 16] = words.try_into().ok()?;
    let part = |k: usize| -> __m256i { cast([w[4 * k], w[4 * k + 1], w[4 * k + 2], w[4 * k + 3]]) };
    Some([part(0), part(1), part(2), part(3)])
}

/// Constants of the nibble popcount, made once per block.
#[derive(Clone, Copy)]
pub struct Nibbles {
    table: __m256i,
    low: __m256i,
    zero: __m256i,
}

impl Nibbles {
    #[inline(always)]
    pub fn new(simd: V3) -> Self {
        let t: [i8; 32] = [
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2,
            3, 3, 4,
        ];
        Nibbles {
            table: cast(t),
            low: simd.avx._mm256_set1_epi8(0x0f),
            zero: simd.avx._mm256_setzero_si256(),
        }
    }
}

/// `|a ∧ b|` of two 1024-bit CLKs.
#[inline(always)]
pub fn intersection(simd: V3, n: Nibbles, a: &Clk1024, b: &Clk1024) -> u32 {
    let v = simd.avx2;
    let mut bytes = n.zero;
    for k in 0..4 {
        let x = v._mm256_and_si256(a[k], b[k]);
        let lo = v._mm256_and_si256(x, n.low);
        let hi = v._mm256_and_si256(v._mm256_srli_epi16::<4>(x), n.low);
        // At most 8 per byte and vector: 32 after four, no overflow.
        bytes = v._mm256_add_epi8(bytes, v._mm256_shuffle_epi8(n.table, lo));
        bytes = v._mm256_add_epi8(bytes, v._mm256_shuffle_epi8(n.table, hi));
    }
    let sums: [u64; 4] = cast(v._mm256_sad_epu8(bytes, n.zero));
    (sums[0] + sums[1] + sums[2] + sums[3]) as u32
}
