using System.Numerics;

namespace Workbench.Core.Import.SampleData;

// xoshiro256** seeded through SplitMix64. Not System.Random: its seeded sequence is not guaranteed to stay
// the same across .NET versions, and the committed sample-data must regenerate byte for byte.
internal sealed class SampleRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SampleRandom(ulong seed) => Reseed(seed);

    // One independent stream per (seed, purpose, index): a customer's data does not depend on how many
    // customers come before or after it.
    public static ulong Derive(int seed, ulong stream, ulong index)
    {
        var x = (ulong)(uint)seed;
        x = SplitMix(ref x) ^ stream;
        x = SplitMix(ref x) ^ index;
        return SplitMix(ref x);
    }

    public void Reseed(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public double Between(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(T[] items) => items[Next(items.Length)];

    public int Pick(double[] cdf) => Cdf.Sample(cdf, NextDouble());

    // Exponential with mean 1.
    public double Exponential() => -Math.Log(1 - NextDouble());

    public double StandardNormal()
    {
        // Marsaglia's polar method; the second value is dropped so that a draw always takes the same stream.
        while (true)
        {
            var u = 2 * NextDouble() - 1;
            var v = 2 * NextDouble() - 1;
            var s = u * u + v * v;
            if (s > 0 && s < 1) return u * Math.Sqrt(-2 * Math.Log(s) / s);
        }
    }

    // Gamma(shape, rate), mean shape / rate: Marsaglia & Tsang (2000), with the usual boost for shape < 1.
    public double Gamma(double shape, double rate)
    {
        if (shape < 1) return Gamma(shape + 1, rate) * Math.Pow(1 - NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal();
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = 1 - NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v / rate;
        }
    }

    public double Beta(double a, double b)
    {
        var x = Gamma(a, 1);
        var y = Gamma(b, 1);
        return x + y > 0 ? x / (x + y) : a / (a + b);
    }

    // Rounds a mean count up or down at random so that small rates still average out.
    public int RoundCount(double mean)
    {
        var whole = (int)mean;
        return whole + (Chance(mean - whole) ? 1 : 0);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

internal static class Cdf
{
    public static double[] From(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        if (total <= 0) throw new ArgumentException("weights must not all be zero", nameof(weights));
        var cdf = new double[weights.Length];
        var running = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            running += weights[i];
            cdf[i] = running / total;
        }
        cdf[^1] = 1.0;
        return cdf;
    }

    // The first index whose cumulative weight exceeds u.
    public static int Sample(double[] cdf, double u) => Search(cdf, 0, u);

    // The same, restricted to indexes from 'from' to 'until' inclusive.
    public static int Sample(double[] cdf, int from, int until, double u)
    {
        until = Math.Max(from, until);
        var below = from == 0 ? 0.0 : cdf[from - 1];
        return Math.Min(until, Search(cdf, from, below + u * (cdf[until] - below)));
    }

    private static int Search(double[] cdf, int lo, double u)
    {
        var hi = cdf.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (cdf[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
