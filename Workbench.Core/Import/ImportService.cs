using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Workbench.Core.Customers;
using Workbench.Core.Audit;
using Workbench.Core.Csv;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Import;

public sealed class ImportService(
    IDbContextFactory<WorkbenchDbContext> dbFactory,
    StoreLocation store,
    TimeProvider clock,
    AuditService audit,
    ILogger<ImportService> logger,
    StoreWriteGate writes,
    IEnumerable<IImportFollowUp> followUps,
    ImportLimits? limits = null) : IDisposable
{
    public ImportLimits Limits { get; } = limits ?? ImportLimits.Default;

    public const int PreviewRows = 20;
    private const int ProgressEvery = 4096;

    // From this file size on, the table's secondary indexes are dropped before the load and rebuilt after it, in the
    // same transaction (a rollback restores them): one sorted build beats millions of random index inserts.
    internal const long RebuildIndexesFromBytes = 64L << 20;

    private (long LastRunId, StoreSummary Summary)? _summaryCache;

    // The work after an import outlives the page that started it (the data is in; the figures must follow), but not the
    // app: disposing the service at shutdown cancels it, and a cancelled rebuild rolls back to the figures it found.
    private readonly CancellationTokenSource _stopping = new();

    public void Dispose() => _stopping.Cancel();

    public Task<ImportPreview> PreviewAsync(Stream csv, ImportKind kind, CancellationToken ct) =>
        PreviewAsync(csv, kind, ImportEncoding.Utf8, ct);

    public async Task<ImportPreview> PreviewAsync(Stream csv, ImportKind kind, ImportEncoding encoding, CancellationToken ct)
    {
        var schema = ImportSchemas.For(kind);
        CsvInput? input;
        try
        {
            input = await CsvInput.OpenAsync(csv, Limits, encoding, ct);
        }
        catch (ImportInputException)
        {
            input = null;
        }
        using var _ = input;
        if (input is null) return new ImportPreview(kind, ',', [], [], schema.RequiredFields.Select(f => f.Name).ToList(), [], []);
        var map = HeaderMap.Build(schema, input.Headers);
        var rows = new List<IReadOnlyList<string>>();
        while (rows.Count < PreviewRows && input.Read() is { } record) rows.Add(record);
        return new ImportPreview(kind, input.Delimiter, input.Headers, map.Mapping, map.Missing, map.Unknown, rows);
    }

    public async Task<ImportResult> ImportAsync(Stream csv, ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        // One writer at a time (imports and job runs): SQLite has one writer, and a queue is kinder than a busy error.
        ImportResult result;
        using (await writes.EnterAsync(ct))
        {
            result = await Task.Run(() => ImportLockedAsync(csv, request, progress, ct), CancellationToken.None);
        }
        if (result.Succeeded) await FollowUpAsync(result, request.TotalBytes, progress);
        return result;
    }

    // Several files, each in its own transaction as ImportAsync does, with the work after an import run once when the last
    // is in (over the imports that succeeded). The files are opened one at a time, when their turn comes.
    public async Task<IReadOnlyList<ImportResult>> ImportAllAsync(IReadOnlyList<(Func<Stream> Open, ImportRequest Request)> files, CancellationToken ct)
    {
        var results = new List<ImportResult>(files.Count);
        using (await writes.EnterAsync(ct))
        {
            foreach (var (open, request) in files)
            {
                await using var csv = open();
                results.Add(await Task.Run(() => ImportLockedAsync(csv, request, null, ct), CancellationToken.None));
            }
        }
        // After the gate is released: the job pipeline takes it for its own runs.
        var succeeded = results.Where(r => r.Succeeded).ToList();
        if (succeeded.Count > 0) await FollowUpAsync(succeeded, null, null);
        return results;
    }

    // Runs after the commit, inside the gate so the figures describe exactly this import; a failure here is logged,
    // never turned into a failed import (the data is already in).
    private Task FollowUpAsync(ImportResult result, long? totalBytes, IProgress<ImportProgress>? progress) =>
        FollowUpAsync([result], totalBytes, progress);

    private async Task FollowUpAsync(IReadOnlyList<ImportResult> results, long? totalBytes, IProgress<ImportProgress>? progress)
    {
        var result = results[^1];
        foreach (var followUp in followUps)
        {
            progress?.Report(new ImportProgress(result.RowsRead, totalBytes ?? 0, totalBytes, result.Duration, $"updating {followUp.Activity}"));
            try
            {
                if (results.Count == 1) await followUp.AfterImportAsync(result, _stopping.Token);
                else await followUp.AfterImportsAsync(results, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                logger.LogInformation("After import {Id}: {FollowUp} stopped, the app is shutting down", result.ImportRunId, followUp.GetType().Name);
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "After import {Id}: {FollowUp} failed", result.ImportRunId, followUp.GetType().Name);
            }
        }
    }

    private async Task<ImportResult> ImportLockedAsync(Stream csv, ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var run = new RunState(request, clock.GetUtcNow().UtcDateTime);
        var schema = ImportSchemas.For(request.Kind);
        await using var counting = new CountingStream(csv);

        CsvInput? input;
        try
        {
            input = await CsvInput.OpenAsync(counting, Limits, request.Encoding, ct);
        }
        catch (OperationCanceledException)
        {
            return await RecordAsync(run, ImportOutcome.Cancelled, null, ct: CancellationToken.None);
        }
        catch (ImportInputException e)
        {
            run.AddProblem(new ImportProblem(e.Line, null, e.Message));
            return await RecordAsync(run, ImportOutcome.Refused, "header refused", CancellationToken.None);
        }
        if (input is null)
        {
            run.AddProblem(new ImportProblem(1, null, "the file is empty: the first line must name the columns"));
            return await RecordAsync(run, ImportOutcome.Refused, "empty file", CancellationToken.None);
        }

        using (input)
        {
            var map = HeaderMap.Build(schema, input.Headers);
            run.UnknownColumns = map.Unknown;
            if (map.Missing.Count > 0 || map.Repeated.Count > 0)
            {
                if (map.Missing.Count > 0)
                {
                    run.AddProblem(new ImportProblem(1, null,
                        $"missing required column(s): {string.Join(", ", map.Missing)}; found: {string.Join(", ", input.Headers)}. " +
                        $"A {schema.FileName} file needs {string.Join(", ", schema.RequiredFields.Select(f => f.Name))}"));
                }
                foreach (var repeated in map.Repeated)
                {
                    run.AddProblem(new ImportProblem(1, repeated, $"column '{repeated}' appears twice: keep one"));
                }
                return await RecordAsync(run, ImportOutcome.Refused, "header refused", CancellationToken.None);
            }
            foreach (var unknown in map.Unknown)
            {
                run.AddProblem(new ImportProblem(1, unknown, $"unknown column '{unknown}' is ignored", ProblemSeverity.Warning));
            }

            // Committed before the load: a process killed mid-way leaves a Running row, shown as interrupted on the next start.
            var running = run.ToHistory(ImportOutcome.Running, null);
            running.Owner = ProcessOwner.Current;
            var importId = ImportHistory.WriteAlone(store, running);
            using var session = store.Bulk.BeginSession(BulkSessionOptions.Default);
            var committed = false;
            var large = request.TotalBytes >= RebuildIndexesFromBytes;
            try
            {
                var (customers, skus) = LoadReferences(session, request.Kind);
                TouchedCustomers.Begin(session, request.Kind, importId, everyone: large);
                CustomerFieldSources.Begin(session, schema, map.ColumnOf, importId, run.StartedAt);
                var deferredIndexes = large
                    ? session.DropSecondaryIndexes(StoreWriter.TableName(request.Kind))
                    : [];
                using (IRowWriter writer = request.Kind == ImportKind.Outcomes
                           ? new OutcomeWriter(session, schema, map.ColumnOf, importId)
                           : new StoreWriter(session, schema, map.ColumnOf, importId))
                {
                    var validator = new RowValidator(schema, map.ColumnOf, customers, skus);
                    await ProcessRowsAsync(input, validator, writer, run, counting, progress, schema, ct);
                }
                TouchedCustomers.End(session);
                CustomerFieldSources.End(session);

                // A file read only up to a limit is refused in either mode: what came after the limit was never seen.
                if (run.ErrorRows > 0 && (request.Mode == ImportMode.AllOrNothing || input.StoppedReason is not null))
                {
                    session.Rollback();
                    return await RecordAsync(run, ImportOutcome.Refused,
                        input.StoppedReason is null ? null : $"line {input.Line:N0}: {input.StoppedReason}", CancellationToken.None, importId);
                }
                session.CreateIndexes(deferredIndexes);
                run.Finish();
                var finished = run.ToHistory(ImportOutcome.Imported, null);
                finished.Id = importId;
                ImportHistory.Write(session, finished);
                session.Commit();
                committed = true;
                logger.LogInformation("Import {Id} of {File} committed", importId, request.FileName);
                var imported = run.ToResult(importId, ImportOutcome.Imported, null);
                await AuditAsync(request, imported);
                return imported;
            }
            catch (OperationCanceledException)
            {
                session.Rollback();
                return await RecordAsync(run, ImportOutcome.Cancelled, null, CancellationToken.None, importId);
            }
            catch (Exception e) when (!committed)
            {
                logger.LogError(e, "Import of {File} failed", request.FileName);
                session.Rollback();
                return await RecordAsync(run, ImportOutcome.Failed, e.Message, CancellationToken.None, importId);
            }
            finally
            {
                if (!committed) TryEndTouched(session);
                run.DisposeRejected();
            }
        }
    }

    // Two stages on two cores: this thread parses and validates into batches, the caller's thread writes them.
    private async Task ProcessRowsAsync(CsvInput input, RowValidator validator, IRowWriter writer, RunState run,
        CountingStream counting, IProgress<ImportProgress>? progress, ImportSchema schema, CancellationToken ct)
    {
        var fieldCount = validator.FieldCount;
        var full = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var free = new ConcurrentBag<RowBatch>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var orderedAt = schema.Kind == ImportKind.Transactions ? schema.IndexOf("ordered_at") : -1;

        var producer = Task.Run(async () =>
        {
            try
            {
                var rowProblems = new List<ImportProblem>();
                var expected = input.Headers.Length;
                var batch = free.TryTake(out var b) ? b : new RowBatch(fieldCount);
                var lastReport = run.Clock.Elapsed;
                while (input.Read() is { } record)
                {
                    var rowsRead = ++run.RowsRead;
                    rowProblems.Clear();
                    var line = input.Line;
                    var values = batch.Slot(batch.Count);
                    if (input.CurrentProblem is { } problem)
                    {
                        rowProblems.Add(new ImportProblem(line, input.CurrentProblemColumn, problem));
                    }
                    else if (record.Length != expected)
                    {
                        rowProblems.Add(new ImportProblem(line, null,
                            $"expected {expected} fields, found {record.Length}: check the delimiter and the quoting of this line"));
                    }
                    else if (validator.Validate(record, line, values, rowProblems))
                    {
                        batch.Add(record, line);
                    }
                    if (rowProblems.Count > 0) run.Report(store, input.Headers, record, line, rowProblems);

                    if (batch.Count == RowBatch.Capacity)
                    {
                        await full.Writer.WriteAsync(batch, stop.Token);
                        batch = free.TryTake(out b) ? b : new RowBatch(fieldCount);
                    }
                    if (rowsRead % ProgressEvery == 0)
                    {
                        stop.Token.ThrowIfCancellationRequested();
                        if (progress is not null && run.Clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(200))
                        {
                            lastReport = run.Clock.Elapsed;
                            progress.Report(new ImportProgress(rowsRead, counting.BytesRead, run.Request.TotalBytes, run.Clock.Elapsed));
                        }
                    }
                }
                if (batch.Count > 0) await full.Writer.WriteAsync(batch, stop.Token);
                full.Writer.Complete();
            }
            catch (Exception e)
            {
                full.Writer.Complete(e);
            }
        }, CancellationToken.None);

        try
        {
            var duplicate = new List<ImportProblem>(1);
            var chunk = writer.ChunkRows;
            await foreach (var batch in full.Reader.ReadAllAsync(CancellationToken.None))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    // A whole chunk in one statement when the writer can and every row of it is a plain insert.
                    if (chunk > 0 && i % chunk == 0 && i + chunk <= batch.Count && writer.TryInsertChunk(batch.Values, i, fieldCount))
                    {
                        run.Inserted += chunk;
                        i += chunk - 1;
                        continue;
                    }
                    var values = batch.Slot(i);
                    switch (writer.Write(values))
                    {
                        case WriteOutcome.Inserted: run.Inserted++; break;
                        case WriteOutcome.Updated: run.Updated++; break;
                        case WriteOutcome.Unchanged: run.Unchanged++; break;
                        case WriteOutcome.Duplicate:
                            duplicate.Clear();
                            duplicate.Add(new ImportProblem(batch.Lines[i], null,
                                $"duplicate key: an earlier line of this file has the same {DescribeKey(schema.Kind)}; keep one of them"));
                            run.Report(store, input.Headers, batch.Records[i], batch.Lines[i], duplicate);
                            continue;
                        case WriteOutcome.Unknown:
                            duplicate.Clear();
                            duplicate.Add(new ImportProblem(batch.Lines[i], writer.Unknown.Column, writer.Unknown.Reason));
                            run.Report(store, input.Headers, batch.Records[i], batch.Lines[i], duplicate);
                            continue;
                    }
                    if (orderedAt >= 0) run.SeeOrderTime(values[orderedAt].Text!);
                }
                batch.Clear();
                free.Add(batch);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }
        ct.ThrowIfCancellationRequested();
        progress?.Report(new ImportProgress(run.RowsRead, counting.BytesRead, run.Request.TotalBytes, run.Clock.Elapsed));
    }

    private sealed class RowBatch(int fieldCount)
    {
        public const int Capacity = 1024;
        private readonly BindValue[] _values = new BindValue[Capacity * fieldCount];

        public string[][] Records { get; } = new string[Capacity][];
        public long[] Lines { get; } = new long[Capacity];
        public int Count { get; private set; }

        public BindValue[] Values => _values;

        public Span<BindValue> Slot(int index) => _values.AsSpan(index * fieldCount, fieldCount);

        public void Add(string[] record, long line)
        {
            Records[Count] = record;
            Lines[Count] = line;
            Count++;
        }

        public void Clear()
        {
            Array.Clear(Records, 0, Count);
            Count = 0;
        }
    }

    private static string DescribeKey(ImportKind kind) => kind switch
    {
        ImportKind.Customers => "customer_id",
        ImportKind.Products => "sku",
        ImportKind.Transactions => "order_id and line_no",
        ImportKind.Events => "event_id (or customer_id, occurred_at, type and sku)",
        ImportKind.Outcomes => "send",
        _ => "customer_id and channel",
    };

    private static (HashSet<string>? Customers, HashSet<string>? Skus) LoadReferences(IBulkSession session, ImportKind kind)
    {
        var customers = kind is ImportKind.Transactions or ImportKind.Events or ImportKind.Consents
            ? session.ReadStrings("SELECT customer_id FROM customers") : null;
        var skus = kind is ImportKind.Transactions or ImportKind.Events ? session.ReadStrings("SELECT sku FROM products") : null;
        return (customers, skus);
    }

    // The connection may be gone with a failed session: the temporary triggers end with it then.
    private static void TryEndTouched(IBulkSession session)
    {
        try
        {
            TouchedCustomers.End(session);
            CustomerFieldSources.End(session);
        }
        catch (StoreException)
        {
        }
    }

    // Records a run that wrote nothing (refused, cancelled, failed) in its own small transaction: over its Running row
    // when it had one.
    private async Task<ImportResult> RecordAsync(RunState run, ImportOutcome outcome, string? message, CancellationToken ct, long? runningId = null)
    {
        run.Finish();
        run.DisposeRejected();
        run.DiscardCounts();
        var history = run.ToHistory(outcome, message ?? (outcome == ImportOutcome.Refused ? $"{run.ErrorCount:N0} problems" : null));
        history.Id = runningId ?? 0;
        var id = await Task.Run(() => ImportHistory.WriteAlone(store, history), ct);
        var result = run.ToResult(id, outcome, message);
        await AuditAsync(run.Request, result);
        return result;
    }

    // Every run, also a refused or cancelled one, is in the audit trail under the user who started it.
    private async Task AuditAsync(ImportRequest request, ImportResult result)
    {
        try
        {
            await audit.RecordAsync(request.UserName, AuditActions.Import, AuditEntities.Import, result.ImportRunId.ToString(),
            [
                new FieldChange("kind", null, request.Kind.ToString()),
                new FieldChange("file", null, request.FileName),
                new FieldChange("mode", null, request.Mode.ToString()),
                new FieldChange("outcome", null, result.Outcome.ToString()),
                new FieldChange("rows", null, $"{result.RowsRead} read, {result.Inserted} inserted, {result.Updated} updated, {result.Rejected} rejected"),
            ], CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not write the audit entry of import {Id}", result.ImportRunId);
        }
    }

    // Imports left Running by a process that is gone (killed mid-file) are marked interrupted: their transaction never
    // committed, so nothing of them is in the store.
    public async Task<int> RecoverInterruptedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = await db.ImportRuns.Where(r => r.Outcome == ImportOutcome.Running).ToListAsync(ct);
        var interrupted = 0;
        foreach (var stale in running.Where(r => !ProcessOwner.IsAlive(r.Owner)))
        {
            stale.Outcome = ImportOutcome.Interrupted;
            stale.Message = "interrupted: the process stopped before the import finished (killed or crashed); nothing of it was written";
            stale.Inserted = stale.Updated = stale.Unchanged = 0;
            interrupted++;
        }
        await db.SaveChangesAsync(ct);
        if (interrupted > 0) logger.LogWarning("{Count} import(s) of a stopped process marked interrupted", interrupted);
        return interrupted;
    }

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

    // What is in the store. Counting 20M lines takes a while, so the figures are kept until the next import.
    public async Task<StoreSummary> SummaryAsync(CancellationToken ct)
    {
        var lastImports = await HistoryAsync(5, ct);
        var lastRunId = lastImports.Count > 0 ? lastImports[0].Id : 0;
        if (_summaryCache is { } cached && cached.LastRunId == lastRunId && lastRunId != 0) return cached.Summary;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var imported = db.ImportRuns.Where(r => r.Outcome == ImportOutcome.Imported);
        var summary = new StoreSummary(
            await db.Customers.LongCountAsync(ct),
            await db.Products.LongCountAsync(ct),
            await db.OrderLines.LongCountAsync(ct),
            await db.Events.LongCountAsync(ct),
            await db.Consents.LongCountAsync(ct),
            await imported.MinAsync(r => r.FirstOrderedAt, ct),
            await imported.MaxAsync(r => r.LastOrderedAt, ct),
            lastImports);
        _summaryCache = (lastRunId, summary);
        return summary;
    }

    // The rejected rows of an import (original fields, line, reason), or null when it kept none.
    public async Task<Stream?> OpenRejectedRowsAsync(long importRunId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await db.ImportRuns.Where(r => r.Id == importRunId).Select(r => r.RejectedRowsFile).SingleOrDefaultAsync(ct);
        if (file is null) return null;
        var path = Path.Combine(RejectedDirectory(store), Path.GetFileName(file));
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true) : null;
    }

    internal static string RejectedDirectory(StoreLocation store) => Path.Combine(store.FilesDirectory, "rejected");

    // The counters and report of one import while it runs.
    private sealed class RunState(ImportRequest request, DateTime startedAt)
    {
        private readonly List<ImportProblem> _problems = [];
        private CsvWriter? _rejected;
        private StreamWriter? _rejectedStream;

        public ImportRequest Request { get; } = request;
        public DateTime StartedAt { get; } = startedAt;
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public TimeSpan Duration { get; private set; }
        public long RowsRead, Inserted, Updated, Unchanged, ErrorRows, ErrorCount, WarningCount;
        public string? FirstOrderedAt, LastOrderedAt, RejectedFileName;
        public IReadOnlyList<string> UnknownColumns { get; set; } = [];

        // Called from both pipeline stages: validation problems and duplicates found while writing.
        public void Report(StoreLocation store, string[] headers, string[] record, long line, List<ImportProblem> problems)
        {
            lock (_problems)
            {
                var rejected = false;
                foreach (var problem in problems)
                {
                    AddProblem(problem);
                    rejected |= problem.Severity == ProblemSeverity.Error;
                }
                if (!rejected) return;
                ErrorRows++;
                Reject(store, headers, record, line, problems);
            }
        }

        public void AddProblem(ImportProblem problem)
        {
            if (problem.Severity == ProblemSeverity.Error) ErrorCount++; else WarningCount++;
            if (_problems.Count < ImportResult.MaxListedProblems) _problems.Add(problem);
        }

        public void SeeOrderTime(string orderedAt)
        {
            if (FirstOrderedAt is null || string.CompareOrdinal(orderedAt, FirstOrderedAt) < 0) FirstOrderedAt = orderedAt;
            if (LastOrderedAt is null || string.CompareOrdinal(orderedAt, LastOrderedAt) > 0) LastOrderedAt = orderedAt;
        }

        // Rejected rows go to a CSV the user can fix and import again: original fields, then line and reason.
        private void Reject(StoreLocation store, string[] headers, string[] record, long line, List<ImportProblem> problems)
        {
            if (_rejected is null)
            {
                var directory = RejectedDirectory(store);
                Directory.CreateDirectory(directory);
                RejectedFileName = $"{StartedAt:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.csv";
                _rejectedStream = new StreamWriter(Path.Combine(directory, RejectedFileName));
                _rejected = new CsvWriter(_rejectedStream, CultureInfo.InvariantCulture);
                foreach (var header in headers) _rejected.WriteSafeField(header);
                _rejected.WriteField("line");
                _rejected.WriteField("reason");
                _rejected.NextRecord();
            }
            for (var i = 0; i < headers.Length; i++) _rejected.WriteSafeField(i < record.Length ? record[i] : "");
            _rejected.WriteField(line);
            _rejected.WriteSafeField(string.Join("; ", problems.Select(p => p.Column is null ? p.Reason : $"{p.Column}: {p.Reason}")));
            _rejected.NextRecord();
        }

        public void DisposeRejected()
        {
            _rejected?.Dispose();
            _rejectedStream?.Dispose();
            _rejected = null;
            _rejectedStream = null;
        }

        public void Finish() => Duration = Clock.Elapsed;

        // A run that wrote nothing reports no inserts or updates.
        public void DiscardCounts() => Inserted = Updated = Unchanged = 0;

        // The run as the import history keeps it; the span of order times only for an import that wrote its rows.
        public ImportRun ToHistory(ImportOutcome outcome, string? message) => new()
        {
            Kind = Request.Kind,
            FileName = Request.FileName,
            UserName = Request.UserName,
            Mode = Request.Mode,
            Outcome = outcome,
            StartedAt = StartedAt,
            DurationMs = (long)Clock.Elapsed.TotalMilliseconds,
            RowsRead = RowsRead,
            Inserted = Inserted,
            Updated = Updated,
            Unchanged = Unchanged,
            Rejected = ErrorRows,
            Warnings = WarningCount,
            Message = message,
            FirstOrderedAt = outcome == ImportOutcome.Imported && FirstOrderedAt is { } first ? StoreTime.Parse(first) : null,
            LastOrderedAt = outcome == ImportOutcome.Imported && LastOrderedAt is { } last ? StoreTime.Parse(last) : null,
            RejectedRowsFile = RejectedFileName,
        };

        public ImportResult ToResult(long id, ImportOutcome outcome, string? message) => new(
            id, Request.Kind, Request.FileName, Request.Mode, outcome, RowsRead, Inserted, Updated, Unchanged, ErrorRows,
            ErrorCount, WarningCount, _problems.OrderBy(p => p.Line).ToList(), UnknownColumns, RejectedFileName, Duration, message);
    }
}
