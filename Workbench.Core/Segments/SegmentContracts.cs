namespace Workbench.Core.Segments;

public sealed record ChannelReach(string Channel, long Members, double Share);

// Size and share of all customers; revenue share = members' net revenue / everyone's; average net revenue per member;
// reach = members with granted consent per channel. FeaturesComputed is false while customer_features is empty.
public sealed record SegmentKpis(long Size, long TotalCustomers, double Share, double Revenue, double RevenueShare,
    double AverageValue, IReadOnlyList<ChannelReach> Reach, bool FeaturesComputed);

public sealed record SegmentMemberRow(string CustomerId, string? FirstName, string? LastName, string? Region,
    string? LoyaltyTier, double? NetRevenue, long? Orders);

public sealed record MembersPage(long Total, int Page, int PageSize, IReadOnlyList<SegmentMemberRow> Items);

public sealed record SegmentSummary(long Id, string Name, string Description, string Owner, int Version,
    DateTime UpdatedAt, string UpdatedBy, DateTime? LastRefreshAt, long? LastSize);

public sealed record SegmentDetail(long Id, string Name, string Description, string Owner, string RuleJson, int Version,
    DateTime CreatedAt, DateTime UpdatedAt, string UpdatedBy, DateTime? LastRefreshAt, long? LastSize);

public sealed record SegmentVersionItem(int Version, string Name, string SavedBy, DateTime SavedAt, string Change, string RuleJson);

public sealed record SegmentHistoryPoint(DateTime At, long Size, long Entries, long Exits);

// Id null = a new segment; ExpectedVersion = the version the editor loaded (a stale save is refused).
public sealed record SegmentDraft(long? Id, string Name, string Description, string RuleJson, int ExpectedVersion);

public sealed record SaveResult(long? Id, int Version, string? Problem)
{
    public bool Saved => Problem is null;
}

public sealed record RefreshResult(int Segments, TimeSpan Duration);


// How long a rule may take when someone waits for it (Workbench:Segments:QueryTimeLimitSeconds, default 5).
public sealed record SegmentLimits(TimeSpan TimeLimit)
{
    public static readonly SegmentLimits Default = new(TimeSpan.FromSeconds(5));
}

public sealed class SegmentTimeLimitException(TimeSpan limit, Exception inner) : Exception(
    $"The rule took longer than {limit.TotalSeconds:0.###} s to evaluate and was stopped: use fewer or narrower conditions " +
    "(a behaviour condition with a short window, or a region or tier first).", inner)
{
    public TimeSpan Limit { get; } = limit;
}
