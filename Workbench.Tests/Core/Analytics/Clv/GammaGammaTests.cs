using MathNet.Numerics.Distributions;
using Workbench.Core.Analytics.Clv;

namespace Workbench.Tests.Core.Analytics.Clv;

public sealed class GammaGammaTests
{
    // The CDNOW estimates published in Fader, Hardie & Lee (2005) "RFM and CLV": p = 6.25, q = 3.74, γ = 15.44.
    private static readonly GammaGammaParameters Cdnow = new(6.25, 3.74, 15.44);

    [Fact]
    public void PopulationMean_IsTheFormulaValue()
    {
        // p·γ/(q − 1) = 6.25 × 15.44 / 2.74 = 35.2189781...
        Assert.Equal(35.2189781021898, Cdnow.PopulationMean, 10);
    }

    // Expected values: lgamma(px+q) − lgamma(px) − lgamma(q) + q·ln γ + (px−1)·ln m̄ + px·ln x − (px+q)·ln(γ + m̄x),
    // and (γ + m̄x)·p/(px + q − 1), evaluated independently with Python's mpmath.
    [Theory]
    [InlineData(1, 20.0, -3.5941964929492, 24.6384872080089)]
    [InlineData(2, 35.5, -4.12166519261272, 35.4494750656168)]
    [InlineData(6, 12.3, -3.98194660200234, 13.8605864811133)]
    public void LogLikelihoodAndConditionalValue_MatchByHand(int x, double mean, double ll, double expected)
    {
        Assert.Equal(ll, GammaGamma.LogLikelihood(Cdnow, new SpendHistory(x, mean)), 10);
        Assert.Equal(expected, GammaGamma.ConditionalExpectedValue(Cdnow, x, mean), 10);
    }

    [Fact]
    public void ConditionalExpectedValue_NoRepeat_IsThePopulationMean()
    {
        Assert.Equal(Cdnow.PopulationMean, GammaGamma.ConditionalExpectedValue(Cdnow, 0, 0));
    }

    [Fact]
    public void Fit_DataSimulatedFromKnownParameters_RecoversThePopulationMeanAndShape()
    {
        // The story: ν ~ Gamma(q, γ); each transaction value z ~ Gamma(p, ν); m̄ is the mean of x of them.
        var truth = new GammaGammaParameters(4.0, 5.0, 40.0);
        var random = new Random(11);
        var nus = new Gamma(truth.Q, truth.Gamma, random);
        var customers = new List<SpendHistory>();
        for (var i = 0; i < 30_000; i++)
        {
            var nu = nus.Sample();
            var x = 1 + random.Next(8);
            var values = new Gamma(truth.P, nu, random);
            double sum = 0;
            for (var k = 0; k < x; k++) sum += values.Sample();
            customers.Add(new SpendHistory(x, sum / x));
        }

        var fit = GammaGamma.Fit(customers);

        Assert.InRange(fit.Parameters.P, truth.P * 0.9, truth.P * 1.1);
        Assert.InRange(fit.Parameters.PopulationMean, truth.PopulationMean * 0.95, truth.PopulationMean * 1.05);
        Assert.True(fit.LogLikelihood >= GammaGamma.LogLikelihood(truth, customers));
    }
}
