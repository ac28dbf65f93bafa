namespace Workbench.Core.Playbook;

public sealed record PlayFilter(string? Search = null, string? UseCaseId = null, Objective? Objective = null,
    string? TriggerKind = null, string? Channel = null, PlayStatus? Status = null,
    long? SegmentId = null, string? Owner = null, int Skip = 0, int Take = 50)
{
    public const int MaxTake = 500;
    public const int MaxSkip = 1_000_000;
    public const int MaxTextLength = 200;

    public static readonly IReadOnlyList<string> TriggerKinds = [PlayTriggers.Event, PlayTriggers.Lifecycle, PlayTriggers.Scheduled];

    // What is out of range, or null when the filter may run.
    public string? Refusal()
    {
        if (Take is < 1 or > MaxTake) return $"take is 1 to {MaxTake}";
        if (Skip is < 0 or > MaxSkip) return $"skip is 0 to {MaxSkip:N0}";
        foreach (var (name, value) in new[] { ("search", Search), ("useCaseId", UseCaseId), ("channel", Channel), ("owner", Owner) })
            if (value?.Length > MaxTextLength) return $"{name} is at most {MaxTextLength} characters";
        if (TriggerKind is not null && !TriggerKinds.Contains(TriggerKind)) return $"triggerKind is one of {string.Join(", ", TriggerKinds)}";
        return null;
    }
}

public sealed record PlaySummary(string Id, string Name, string UseCaseId, Objective? Objective, string TriggerKind,
    IReadOnlyList<string> Channels, PlayStatus Status, string Owner, int Version, DateTime UpdatedAt,
    IReadOnlyList<long> SegmentIds);

public sealed record PlayPage(IReadOnlyList<PlaySummary> Items, int Total);

// Saved is null when refused: Problems holds the validator's errors (or the status rule's), or Conflict is true with
// CurrentVersion = the stored version. When saved, Problems holds what the validator still says (warnings, and the
// errors a draft may keep until it goes active).
public sealed record PlaySaveResult(Play? Saved, IReadOnlyList<ValidationMessage> Problems, bool Conflict = false, int? CurrentVersion = null);

public sealed record PlayVersionEntry(int Version, string ChangedBy, DateTime ChangedAt, string Summary, string Json);

// All-or-nothing: with Problems nothing was written. UseCases: use cases created or changed; Created and Updated count
// plays (a play identical to the stored one is neither).
public sealed record PlaybookImportResult(int UseCases, int Created, int Updated, IReadOnlyList<string> Problems)
{
    public bool Imported => Problems.Count == 0;
}

public static class PlayTriggers
{
    public const string Event = "event", Lifecycle = "lifecycle", Scheduled = "scheduled";

    public static string KindOf(Trigger trigger) => trigger switch
    {
        EventTrigger => Event,
        LifecycleTrigger => Lifecycle,
        ScheduledTrigger => Scheduled,
        _ => throw new ArgumentException($"unknown trigger {trigger?.GetType().Name ?? "null"}"),
    };
}

// The status rule: draft → in_review → active → retired, and back to draft from in_review. Saving without a move is
// always allowed; only a play without validation errors may be (or stay) active.
public static class PlayStatusRules
{
    public static bool MayMove(PlayStatus from, PlayStatus to) => from == to || (from, to) switch
    {
        (PlayStatus.Draft, PlayStatus.InReview) => true,
        (PlayStatus.InReview, PlayStatus.Draft or PlayStatus.Active) => true,
        (PlayStatus.Active, PlayStatus.Retired) => true,
        _ => false,
    };

    public static IReadOnlyList<PlayStatus> Next(PlayStatus from) =>
        Enum.GetValues<PlayStatus>().Where(to => to != from && MayMove(from, to)).ToList();
}
