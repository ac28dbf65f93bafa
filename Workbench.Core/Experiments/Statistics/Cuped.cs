namespace Workbench.Core.Experiments.Statistics;

public sealed record CupedComparison(double Theta, double VarianceReduction, Comparison Adjusted,
    double ControlAdjustedMean, double TreatmentAdjustedMean);

// CUPED (Deng, Xu, Kohavi & Walker 2013) for one treatment against its control, with a pre-period covariate X.
// θ = pooled within-arm covariance of (Y, X) / pooled within-arm variance of X:
//     θ = (Σ_c (y−ȳ_c)(x−x̄_c) + Σ_t (y−ȳ_t)(x−x̄_t)) / (Σ_c (x−x̄_c)² + Σ_t (x−x̄_t)²), over the two arms compared.
// Each arm's adjusted mean is ȳ_a − θ(x̄_a − x̄), x̄ the mean of X over both arms; its variance is the sample variance
// of Y − θX in that arm. The adjusted difference is tested with Welch's t-test like any mean (rates too: a 0/1 metric
// adjusted by a covariate is no longer 0/1). Variance reduction = 1 − Var(adjusted difference) / Var(difference).
public static class Cuped
{
    public static CupedComparison? Compare(Moments control, Moments treatment, double alpha = TwoSampleTests.Alpha)
    {
        var sxx = control.M2X + treatment.M2X;
        if (control.N < 2 || treatment.N < 2 || !(sxx > 0)) return null;
        var theta = (control.Cxy + treatment.Cxy) / sxx;
        var grandX = (control.MeanX * control.N + treatment.MeanX * treatment.N) / (control.N + treatment.N);
        var adjustedC = control.MeanY - theta * (control.MeanX - grandX);
        var adjustedT = treatment.MeanY - theta * (treatment.MeanX - grandX);
        var varC = AdjustedVariance(control, theta);
        var varT = AdjustedVariance(treatment, theta);
        var adjusted = TwoSampleTests.Means(control.N, adjustedC, varC, treatment.N, adjustedT, varT, alpha);
        var raw = control.VarianceY / control.N + treatment.VarianceY / treatment.N;
        var reduced = varC / control.N + varT / treatment.N;
        var reduction = raw > 0 ? 1 - reduced / raw : 0;
        // The relative lift is against the unadjusted control mean: adjustment moves both arms by the same θ-shift on average.
        return new CupedComparison(theta, reduction, adjusted with
        {
            RelativeLift = control.MeanY != 0 ? adjusted.AbsoluteLift / control.MeanY : null,
        }, adjustedC, adjustedT);
    }

    private static double AdjustedVariance(Moments m, double theta) =>
        Math.Max(0, (m.M2Y - 2 * theta * m.Cxy + theta * theta * m.M2X) / (m.N - 1));
}
