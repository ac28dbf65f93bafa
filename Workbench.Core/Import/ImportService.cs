using Microsoft.EntityFrameworkCore;
using Workbench.Core.Data;

namespace Workbench.Core.Import;

public sealed partial class ImportService(
    IDbContextFactory<WorkbenchDbContext> dbFactory,
    StoreLocation store,
    TimeProvider clock)
{
    public Task<ImportPreview> PreviewAsync(Stream csv, ImportKind kind, CancellationToken ct) =>
        throw new NotImplementedException();

    public Task<ImportResult> ImportAsync(Stream csv, ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        throw new NotImplementedException();

    public async Task<IReadOnlyList<ImportHistoryItem>> HistoryAsync(int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ImportRuns.AsNoTracking()
            .OrderByDescending(r => r.Id)
            .Take(take)
            .Select(r => new ImportHistoryItem(r.Id, r.Kind, r.FileName, r.UserName, r.Mode, r.Outcome, r.StartedAt,
                r.DurationMs, r.RowsRead, r.Inserted, r.Updated, r.Unchanged, r.Rejected, r.Warnings, r.Message,
                r.RejectedRowsFile != null))
            .ToListAsync(ct);
    }

    public Task<StoreSummary> SummaryAsync(CancellationToken ct) => throw new NotImplementedException(store.DatabasePath + clock);

    // The rejected rows of an import (original fields, line, reason), or null when it kept none.
    public Task<Stream?> OpenRejectedRowsAsync(long importRunId, CancellationToken ct) => throw new NotImplementedException();
}
