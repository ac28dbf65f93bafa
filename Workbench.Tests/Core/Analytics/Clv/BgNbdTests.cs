using MathNet.Numerics.Distributions;
using Workbench.Core.Analytics.Clv;
using Workbench.Core.Statistics;

namespace Workbench.Tests.Core.Analytics.Clv;

public sealed class BgNbdTests
{
    // The CDNOW estimates published in Fader, Hardie & Lee (2005), table/section 4: r = 0.243, α = 4.414, a = 0.793, b = 2.426.
    private static readonly BgNbdParameters Cdnow = new(0.243, 4.414, 0.793, 2.426);

    // Expected values: equation (6) of the paper evaluated independently with Python's mpmath (30 digits):
    // lgamma(r+x) − lgamma(r) + r·ln α + lgamma(a+b) + lgamma(b+x) − lgamma(b) − lgamma(a+b+x)
    // + ln[(α+T)^−(r+x) + δ(x>0)·a/(b+x−1)·(α+t_x)^−(r+x)].
    [Theory]
    [InlineData(0, 0, 38.86, -0.554713276438158)]
    [InlineData(2, 30.43, 38.86, -9.45860630706627)]
    [InlineData(1, 2, 30, -4.44358138619457)]
    [InlineData(7, 35.14, 38.86, -22.1409140373188)]
    public void LogLikelihood_OneCustomer_MatchesEquationSixByHand(int x, double tx, double t, double expected)
    {
        Assert.Equal(expected, BgNbd.LogLikelihood(Cdnow, new RepeatHistory(x, tx, t)), 10);
    }

    [Fact]
    public void LogLikelihood_Sum_EqualsTheSumOfCustomersAndHonoursWeights()
    {
        RepeatHistory[] customers = [new(0, 0, 38.86), new(2, 30.43, 38.86, Weight: 3), new(7, 35.14, 38.86)];

        // −0.554713276438158 + 3 × −9.45860630706627 + −22.1409140373188
        Assert.Equal(-51.0714462349558, BgNbd.LogLikelihood(Cdnow, customers), 9);
    }

    [Fact]
    public void ConditionalExpectedPurchases_PaperExample_Is1226()
    {
        // The paper's worked example: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make 1.226 repeat
        // purchases in the next 39 weeks (mpmath with hyp2f1: 1.22602817476714).
        Assert.Equal(1.22602817476714, BgNbd.ConditionalExpectedPurchases(Cdnow, new RepeatHistory(2, 30.43, 38.86), 39), 9);
    }

    [Theory]
    [InlineData(0, 0, 38.86, 1.0, 0.252073022282459)]
    [InlineData(2, 30.43, 38.86, 0.726578570080673, 1.55872080643209)]
    [InlineData(1, 2, 30, 0.274872586048394, 0.407036960589253)]
    public void ProbabilityAliveAndNextYear_MatchMpmath(int x, double tx, double t, double alive, double next52)
    {
        var c = new RepeatHistory(x, tx, t);
        Assert.Equal(alive, BgNbd.ProbabilityAlive(Cdnow, c), 10);
        Assert.Equal(next52, BgNbd.ConditionalExpectedPurchases(Cdnow, c, 52), 9);
    }

    [Fact]
    public void ExpectedPurchases_NewCustomer_MatchesMpmath()
    {
        // (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))] with mpmath: 1.19672319332082 at 39 weeks.
        Assert.Equal(1.19672319332082, BgNbd.ExpectedPurchases(Cdnow, 39), 9);
        Assert.Equal(1.86051905794277, BgNbd.ExpectedPurchases(Cdnow, 78), 9);
        Assert.Equal(0, BgNbd.ExpectedPurchases(Cdnow, 0));
    }

    [Fact]
    public void Hyp2F1_KnownClosedForm()
    {
        // 2F1(1, 1; 2; z) = −ln(1 − z) / z (Abramowitz & Stegun 15.1.3).
        Assert.Equal(-Math.Log(1 - 0.9) / 0.9, Workbench.Core.Statistics.Hypergeometric.Hyp2F1(1, 1, 2, 0.9), 12);
    }

    [Fact]
    public void Fit_DataSimulatedFromKnownParameters_RecoversThem()
    {
        var truth = new BgNbdParameters(0.8, 6.0, 0.6, 2.5);
        var customers = Simulate(truth, 40_000, seed: 7);

        var fit = BgNbd.Fit(customers);

        Assert.InRange(fit.Parameters.R, truth.R * 0.85, truth.R * 1.15);
        Assert.InRange(fit.Parameters.Alpha, truth.Alpha * 0.85, truth.Alpha * 1.15);
        Assert.InRange(fit.Parameters.A, truth.A * 0.75, truth.A * 1.25);
        Assert.InRange(fit.Parameters.B, truth.B * 0.75, truth.B * 1.25);
        Assert.True(fit.LogLikelihood >= BgNbd.LogLikelihood(truth, customers), "the fit is at least as likely as the truth");
    }

    // The BG/NBD story: purchases at rate λ ~ Gamma(r, α) while alive; after each repeat purchase the customer drops out
    // with probability p ~ Beta(a, b). Calibration periods T vary from 20 to 52 weeks.
    internal static List<RepeatHistory> Simulate(BgNbdParameters p, int count, int seed)
    {
        var random = new Random(seed);
        var lambdas = new Gamma(p.R, p.Alpha, random);
        var dropouts = new Beta(p.A, p.B, random);
        var customers = new List<RepeatHistory>(count);
        for (var i = 0; i < count; i++)
        {
            var lambda = lambdas.Sample();
            var dropout = dropouts.Sample();
            var horizon = 20 + 32 * random.NextDouble();
            double t = 0, tx = 0;
            var x = 0;
            while (true)
            {
                t += -Math.Log(1 - random.NextDouble()) / lambda;
                if (t > horizon) break;
                x++;
                tx = t;
                if (random.NextDouble() < dropout) break;
            }
            customers.Add(new RepeatHistory(x, tx, horizon));
        }
        return customers;
    }
}
