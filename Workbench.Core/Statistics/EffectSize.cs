namespace Workbench.Core.Statistics;

// A group's count, sum and sum of squares: enough for its mean and sample variance.
public sealed record Moments(long Count, double Sum, double SumOfSquares)
{
    public double Mean => Count > 0 ? Sum / Count : double.NaN;
    public double Variance => Count > 1 ? Math.Max(0, (SumOfSquares - Sum * Sum / Count) / (Count - 1)) : double.NaN;
}

public static class EffectSize
{
    // Cohen's d with the pooled standard deviation: (m₁ − m₂) / √(((n₁−1)s₁² + (n₂−1)s₂²) / (n₁ + n₂ − 2)).
    public static double? CohensD(Moments a, Moments b)
    {
        if (a.Count < 2 || b.Count < 2) return null;
        var pooled = ((a.Count - 1) * a.Variance + (b.Count - 1) * b.Variance) / (a.Count + b.Count - 2);
        if (pooled <= 0) return a.Mean == b.Mean ? 0 : null;
        return (a.Mean - b.Mean) / Math.Sqrt(pooled);
    }

    public static string Magnitude(double d) => Math.Abs(d) switch
    {
        < 0.2 => "negligible",
        < 0.5 => "small",
        < 0.8 => "medium",
        _ => "large",
    };
}
