namespace Workbench.Core.Statistics;

public static class Hypergeometric
{
    // Gauss's 2F1(a, b; c; z) by its power series, for 0 <= z < 1 (where the BG/NBD needs it).
    public static double Hyp2F1(double a, double b, double c, double z)
    {
        if (z < 0 || z >= 1) throw new ArgumentOutOfRangeException(nameof(z), z, "the series needs 0 <= z < 1");
        double term = 1, sum = 1;
        for (var n = 0; n < 100_000; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.Abs(term) <= 1e-15 * Math.Abs(sum)) return sum;
        }
        throw new ArithmeticException($"2F1({a}, {b}; {c}; {z}) did not converge");
    }
}
