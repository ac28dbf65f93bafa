namespace Workbench.Core.Import.SampleData;

// The BG/NBD story (Fader, Hardie & Lee 2005) the sample world is drawn from, in weeks: while active a customer buys
// at rate λ ~ Gamma(shape R, rate Alpha); after each purchase after the first, they drop out for good with
// probability p ~ Beta(A, B). sample-data/README.md states these values and a test recovers them from the files.
public sealed record PurchaseModelParameters(double R, double Alpha, double A, double B)
{
    public static readonly PurchaseModelParameters Sample = new(0.3, 1.5, 0.6, 3.0);
}

// One buyer's purchases in calendar-clock days (SampleCalendar.DayAt): acquired at a uniformly drawn point of the
// window's clock, so acquisitions follow the season; then gaps of Exp(λ) weeks until the window ends or they drop out.
// Reused from one customer to the next.
internal sealed class PurchaseHistory
{
    private readonly List<double> _positions = new(256);

    public double Rate { get; private set; }
    public double Dropout { get; private set; }
    public bool DroppedOut { get; private set; }
    public int Count => _positions.Count;

    // Where purchase k falls, 0..1 through the window's clock.
    public double Position(int k, int days) => _positions[k] / days;

    public void Clear()
    {
        _positions.Clear();
        Rate = Dropout = 0;
        DroppedOut = false;
    }

    public void Simulate(SampleRandom rng, PurchaseModelParameters model, int days)
    {
        Clear();
        Rate = rng.Gamma(model.R, model.Alpha);
        Dropout = rng.Beta(model.A, model.B);
        var at = rng.NextDouble() * days;
        _positions.Add(at);
        if (Rate <= 0) return;
        while (true)
        {
            at += rng.Exponential() * 7 / Rate;
            if (at >= days) return;
            _positions.Add(at);
            if (rng.Chance(Dropout))
            {
                DroppedOut = true;
                return;
            }
        }
    }
}
