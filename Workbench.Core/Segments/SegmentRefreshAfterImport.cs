using Workbench.Core.Import;

namespace Workbench.Core.Segments;

// Saved segments re-evaluated after every import; registered after the feature rebuild, whose figures they read.
public sealed class SegmentRefreshAfterImport(SegmentService segments) : IImportFollowUp
{
    public string Activity => "the saved segments' members";

    public Task AfterImportAsync(ImportResult result, CancellationToken ct) => segments.RefreshAllAsync(ct);
}
