namespace Workbench.Core.Decisioning;

// One play's past outcomes in one segment: messages sent and the conversions they led to.
public sealed record OutcomeCell(string Segment, long Sends, long Conversions);

// A Beta(Strength·Mean, Strength·(1 − Mean)) prior for a play's conversion rate in a segment: Mean is the play's
// pooled rate, Strength the number of sends it is worth. Source says where it came from.
public sealed record PropensityPrior(double Mean, double Strength, string Source);

// Empirical Bayes for a play's propensity per segment: the segment's rate shrunk toward the play's pooled rate by a
// beta-binomial prior, posterior mean (conversions + κμ) / (sends + κ), so a thin segment borrows from the play and a
// large one speaks for itself. μ = Σx / Σn; κ by the method of moments on the segments' rates: the spread of the true
// rates is the variance of the observed rates (weighted by sends) less the binomial noise they carry,
// τ² = Σnᵢ(pᵢ − μ)² / Σnᵢ − μ(1 − μ)·k / Σnᵢ over k segments, and a Beta with mean μ and variance τ² has
// κ = μ(1 − μ)/τ² − 1; κ is kept within [2, 10,000] (no measurable spread: 10,000, almost full pooling). Before a play
// has outcomes in two segments its prior is the stated default, μ = 2%, κ = 50 (or μ = the play's own rate once it has
// at least 100 sends).
public static class Propensity
{
    public const double DefaultRate = 0.02;
    public const double DefaultStrength = 50;
    public const double MinStrength = 2;
    public const double MaxStrength = 10_000;

    public static PropensityPrior Prior(IReadOnlyList<OutcomeCell> cells)
    {
        var used = cells.Where(c => c.Sends > 0).ToList();
        long sends = used.Sum(c => c.Sends), conversions = used.Sum(c => c.Conversions);
        if (used.Count < 2)
        {
            return sends >= 100
                ? new(Rate(conversions, sends), DefaultStrength, $"the play's own rate over {sends:N0} sends, default strength")
                : new(DefaultRate, DefaultStrength, "the stated default before outcomes exist");
        }
        var mu = Rate(conversions, sends);
        if (mu is <= 0 or >= 1) return new(Math.Clamp(mu, 1e-6, 1 - 1e-6), MaxStrength, "the play's pooled rate (no conversions or all): full pooling");
        var spread = used.Sum(c => c.Sends * Math.Pow(Rate(c.Conversions, c.Sends) - mu, 2)) / sends;
        var tau2 = spread - mu * (1 - mu) * used.Count / sends;
        var kappa = tau2 > 0 ? Math.Clamp(mu * (1 - mu) / tau2 - 1, MinStrength, MaxStrength) : MaxStrength;
        return new(mu, kappa, $"the play's pooled rate over {used.Count} segments; strength by the method of moments");
    }

    // The posterior mean for one segment (its outcomes, or none).
    public static double Estimate(PropensityPrior prior, OutcomeCell? cell) =>
        ((cell?.Conversions ?? 0) + prior.Strength * prior.Mean) / ((cell?.Sends ?? 0) + prior.Strength);

    private static double Rate(long x, long n) => (double)x / n;
}
