namespace Workbench.Core.Experiments.Statistics;

// Asymptotic confidence sequences (Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas, "Time-uniform central limit theory
// and asymptotic confidence sequences", arXiv 2103.06476, Theorem 2.2): with the two-sided Gaussian-mixture boundary
//     estimate ± σ̂ · sqrt( 2(tρ² + 1) / (t²ρ²) · ln( sqrt(tρ² + 1) / α ) )
// the intervals cover the true value at every t simultaneously with probability → 1 − α, so they may be looked at
// as often as one likes. Intrinsic time t = units in the comparison (control + treatment); σ̂² = t · Var(difference),
// i.e. the difference's variance per unit. ρ is chosen so the sequence is narrowest at t*:
//     ρ² = (2 ln(1/α) + ln(1 + 2 ln(1/α))) / t*   (the paper's authors' approximation, R package confseq).
public static class ConfidenceSequence
{
    public static double Rho2(double tStar, double alpha = TwoSampleTests.Alpha)
    {
        var l = Math.Log(1 / alpha);
        return (2 * l + Math.Log(1 + 2 * l)) / tStar;
    }

    public static double Margin(double t, double rho2, double alpha = TwoSampleTests.Alpha) =>
        Math.Sqrt(2 * (t * rho2 + 1) / (t * t * rho2) * Math.Log(Math.Sqrt(t * rho2 + 1) / alpha));

    // The half-width for a difference whose standard error is se after t units.
    public static double HalfWidth(double standardError, double t, double rho2, double alpha = TwoSampleTests.Alpha) =>
        standardError * Math.Sqrt(t) * Margin(t, rho2, alpha);
}
