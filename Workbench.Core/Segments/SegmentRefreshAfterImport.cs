using Workbench.Core.Import;

namespace Workbench.Core.Segments;

// Saved segments re-evaluated after every import that changed a row; registered after the feature rebuild, whose
// figures they read. (An import that changed nothing leaves the members as they are; the daily refresh moves the time
// windows on.)
public sealed class SegmentRefreshAfterImport(SegmentService segments) : IImportFollowUp
{
    public string Activity => "the saved segments' members";

    public Task AfterImportAsync(ImportResult result, CancellationToken ct) =>
        result.Inserted + result.Updated > 0 ? segments.RefreshAllAsync(ct) : Task.CompletedTask;

    public Task AfterImportsAsync(IReadOnlyList<ImportResult> results, CancellationToken ct) =>
        results.Any(r => r.Inserted + r.Updated > 0) ? segments.RefreshAllAsync(ct) : Task.CompletedTask;
}
