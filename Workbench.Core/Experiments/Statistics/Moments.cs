namespace Workbench.Core.Experiments.Statistics;

// Sufficient statistics of one cell (a variant, or a segment × variant): count, means and centred second moments of
// the metric Y and of a pre-period covariate X, and their co-moment. Σ(y − ȳ)² etc., so sample variance = M2 / (N − 1).
public readonly record struct Moments(long N, double MeanY, double M2Y, double MeanX, double M2X, double Cxy)
{
    public double VarianceY => N > 1 ? M2Y / (N - 1) : double.NaN;
    public double VarianceX => N > 1 ? M2X / (N - 1) : double.NaN;
    public double CovarianceXy => N > 1 ? Cxy / (N - 1) : double.NaN;

    // Successes of a 0/1 metric: the mean times n, exact for counts far beyond any file.
    public long Successes => (long)Math.Round(MeanY * N);

    public static Moments Of(IEnumerable<double> y)
    {
        var a = new MomentAccumulator();
        foreach (var v in y) a.Add(v);
        return a.ToMoments();
    }

    public static Moments Of(IEnumerable<(double Y, double X)> pairs)
    {
        var a = new MomentAccumulator();
        foreach (var (y, x) in pairs) a.Add(y, x);
        return a.ToMoments();
    }

    // Chan, Golub & LeVeque's pairwise combination: the moments of the union of two cells.
    public static Moments Merge(Moments a, Moments b)
    {
        if (a.N == 0) return b;
        if (b.N == 0) return a;
        var n = a.N + b.N;
        var dy = b.MeanY - a.MeanY;
        var dx = b.MeanX - a.MeanX;
        var w = (double)a.N * b.N / n;
        return new Moments(n, a.MeanY + dy * b.N / n, a.M2Y + b.M2Y + dy * dy * w,
            a.MeanX + dx * b.N / n, a.M2X + b.M2X + dx * dx * w, a.Cxy + b.Cxy + dx * dy * w);
    }
}

// Welford's online update, one unit at a time, in constant memory.
public struct MomentAccumulator
{
    private long _n;
    private double _meanY, _m2Y, _meanX, _m2X, _cxy;

    public readonly long N => _n;

    public void Add(double y)
    {
        _n++;
        var dy = y - _meanY;
        _meanY += dy / _n;
        _m2Y += dy * (y - _meanY);
    }

    public void Add(double y, double x)
    {
        _n++;
        var dx = x - _meanX;
        _meanX += dx / _n;
        var dy = y - _meanY;
        _meanY += dy / _n;
        _m2X += dx * (x - _meanX);
        _m2Y += dy * (y - _meanY);
        _cxy += dx * (y - _meanY);
    }

    public readonly Moments ToMoments() => new(_n, _meanY, _m2Y, _meanX, _m2X, _cxy);
}
