namespace Workbench.Core.Campaigns;

// The pressure a run puts on one segment (null: a campaign for everyone) and channel: messages sent, customers a cap or
// quiet hours stopped on it (by their best play's first channel), and the score those stopped plays would have had.
public sealed record PressureCell(long? SegmentId, string Channel, long Sent, long Stopped, double LostScore);

// A run's figures, the same whether counted while deciding (a dry run, the forecast) or from the outbox afterwards.
// ByArm counts targeted customers per arm ("global_holdout", "control", each variant); ByChannel and ByVariant count
// sends; ByReason counts every targeted customer by why (sent or not).
public sealed record CampaignRunCounts(
    long Customers,
    long Targeted,
    long Sent,
    IReadOnlyDictionary<string, long> ByArm,
    IReadOnlyDictionary<string, long> ByVariant,
    IReadOnlyDictionary<string, long> ByChannel,
    IReadOnlyDictionary<string, long> ByReason,
    IReadOnlyDictionary<string, long> ByPlay,
    IReadOnlyList<PressureCell> Pressure)
{
    public double LostScore => Pressure.Sum(p => p.LostScore);

    public long Stopped => Pressure.Sum(p => p.Stopped);
}

// Adds up decisions as they are made.
public sealed class CampaignRunTally
{
    private readonly Dictionary<string, long> _arm = new(StringComparer.Ordinal), _variant = new(StringComparer.Ordinal),
        _channel = new(StringComparer.Ordinal), _reason = new(StringComparer.Ordinal), _play = new(StringComparer.Ordinal);
    private readonly Dictionary<(long?, string), (long Sent, long Stopped, double Lost)> _pressure = [];
    public long Customers { get; private set; }
    public long Targeted { get; private set; }
    public long Sent { get; private set; }

    public void Seen(int customers) => Customers += customers;

    public void Add(CampaignDecision d) =>
        Add(d.Arm, d.Variant, d.SegmentId, d.PlayId, d.Channel, d.Sent, d.Reason, d.LostChannel, d.LostScore, 1);

    // lostChannel: where the customer's best play was stopped by a cap or quiet hours (null when it was not).
    public void Add(string arm, string? variant, long? segment, string? play, string? channel, bool sent, string reason, string? lostChannel, double? lostScore, long n)
    {
        Targeted += n;
        Bump(_arm, arm, n);
        Bump(_reason, reason, n);
        if (sent)
        {
            Sent += n;
            Bump(_variant, variant ?? "", n);
            Bump(_channel, channel ?? "", n);
            Bump(_play, play ?? "", n);
            var key = (segment, channel ?? "");
            var p = _pressure.GetValueOrDefault(key);
            _pressure[key] = (p.Sent + n, p.Stopped, p.Lost);
        }
        if (lostChannel is not null)
        {
            var key = (segment, lostChannel);
            var p = _pressure.GetValueOrDefault(key);
            _pressure[key] = (p.Sent, p.Stopped + n, p.Lost + (lostScore ?? 0));
        }
    }

    public CampaignRunCounts Counts() => new(Customers, Targeted, Sent, Sorted(_arm), Sorted(_variant), Sorted(_channel), Sorted(_reason), Sorted(_play),
        _pressure.Select(kv => new PressureCell(kv.Key.Item1, kv.Key.Item2, kv.Value.Sent, kv.Value.Stopped, kv.Value.Lost))
            .OrderBy(p => p.SegmentId ?? -1).ThenBy(p => p.Channel, StringComparer.Ordinal).ToList());

    private static void Bump(Dictionary<string, long> d, string key, long n) => d[key] = d.GetValueOrDefault(key) + n;

    private static SortedDictionary<string, long> Sorted(Dictionary<string, long> d) => new(d, StringComparer.Ordinal);
}
