namespace Workbench.Core.Analytics.CustomerFeatures;

// Quintile scores 1–5. The four cut points are the values at the 20th, 40th, 60th and 80th percentiles (nearest rank);
// a value scores 1 plus the number of cut points it exceeds, so equal values always share a score and a mass of ties
// (say 40% one-time buyers) stays in one score instead of being split arbitrarily.
public static class RfmScoring
{
    public static double[] CutPoints(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return [];
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var cuts = new double[4];
        for (var k = 1; k <= 4; k++)
        {
            var rank = (int)Math.Ceiling(k * sorted.Length / 5.0);
            cuts[k - 1] = sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
        }
        return cuts;
    }

    // Higher is better for frequency and monetary; for recency (days since) fewer days is better, so the scale flips.
    public static int Score(double value, double[] cuts, bool higherIsBetter = true)
    {
        if (cuts.Length == 0) return 0;
        var above = 0;
        foreach (var cut in cuts)
        {
            if (value > cut) above++;
        }
        return higherIsBetter ? 1 + above : 5 - above;
    }

    public static string Cell(int r, int f, int m) => $"{r}{f}{m}";
}

public static class Dayparts
{
    public const string Morning = "morning";
    public const string Midday = "midday";
    public const string Evening = "evening";
    public static readonly IReadOnlyList<string> All = [Morning, Midday, Evening];

    // Local hour → daypart: morning before noon, midday noon to 17:00, evening from 17:00 (night counts as evening).
    public static string Of(int localHour) => localHour switch
    {
        >= 5 and < 12 => Morning,
        >= 12 and < 17 => Midday,
        _ => Evening,
    };
}
