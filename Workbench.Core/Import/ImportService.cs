using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using CsvHelper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SQLitePCL;
using Workbench.Core.Customers;
using Workbench.Core.Audit;
using Workbench.Core.Csv;
using Workbench.Core.Data;
using static Workbench.Core.Data.RawSqlite;

namespace Workbench.Core.Import;

public sealed class ImportService(
    IDbContextFactory<WorkbenchDbContext> dbFactory,
    StoreLocation store,
    TimeProvider clock,
    AuditService audit,
    ILogger<ImportService> logger,
    StoreWriteGate writes,
    IEnumerable<IImportFollowUp> followUps) : IDisposable
{
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

    public async Task<ImportPreview> PreviewAsync(Stream csv, ImportKind kind, CancellationToken ct)
    {
        var schema = ImportSchemas.For(kind);
        using var input = await CsvInput.OpenAsync(csv, ct);
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

    // Runs after the commit (the job pipeline, which brings the customers the import touched up to date); a failure
    // here is logged, never turned into a failed import (the data is already in).
    private async Task FollowUpAsync(ImportResult result, long? totalBytes, IProgress<ImportProgress>? progress)
    {
        foreach (var followUp in followUps)
        {
            progress?.Report(new ImportProgress(result.RowsRead, totalBytes ?? 0, totalBytes, result.Duration, $"updating {followUp.Activity}"));
            try
            {
                await followUp.AfterImportAsync(result, _stopping.Token);
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
            input = await CsvInput.OpenAsync(counting, ct);
        }
        catch (OperationCanceledException)
        {
            return await RecordAsync(run, ImportOutcome.Cancelled, null, ct: CancellationToken.None);
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

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            await connection.OpenAsync(ct);
            var handle = connection.Handle!;
            Exec(handle, "PRAGMA busy_timeout = 60000");
            Exec(handle, "PRAGMA cache_size = -65536");
            // Committed before the load: a process killed mid-way leaves a Running row, shown as interrupted on the next start.
            var importId = InsertRun(handle, run, ImportOutcome.Running);
            Exec(handle, "BEGIN IMMEDIATE");
            var committed = false;
            var large = request.TotalBytes >= RebuildIndexesFromBytes;
            try
            {
                var (customers, skus) = LoadReferences(handle, request.Kind);
                TouchedCustomers.Begin(handle, request.Kind, importId, everyone: large);
                var deferredIndexes = large
                    ? DropSecondaryIndexes(handle, StoreWriter.TableName(request.Kind))
                    : [];
                using (var writer = new StoreWriter(handle, schema, map.ColumnOf, importId))
                {
                    var validator = new RowValidator(schema, map.ColumnOf, customers, skus);
                    await ProcessRowsAsync(input, validator, writer, run, counting, progress, schema, ct);
                }

                TouchedCustomers.End(handle);
                if (run.ErrorRows > 0 && request.Mode == ImportMode.AllOrNothing)
                {
                    Exec(handle, "ROLLBACK");
                    return await RecordAsync(run, ImportOutcome.Refused, null, CancellationToken.None, importId);
                }
                foreach (var createIndex in deferredIndexes) Exec(handle, createIndex);
                run.Finish();
                UpdateRun(handle, importId, run);
                Exec(handle, "COMMIT");
                committed = true;
                logger.LogInformation("Import {Id} of {File} committed", importId, request.FileName);
                var imported = run.ToResult(importId, ImportOutcome.Imported, null);
                await AuditAsync(request, imported);
                return imported;
            }
            catch (OperationCanceledException)
            {
                Exec(handle, "ROLLBACK");
                return await RecordAsync(run, ImportOutcome.Cancelled, null, CancellationToken.None, importId);
            }
            catch (Exception e) when (!committed)
            {
                logger.LogError(e, "Import of {File} failed", request.FileName);
                if (raw.sqlite3_get_autocommit(handle) == 0) Exec(handle, "ROLLBACK");
                return await RecordAsync(run, ImportOutcome.Failed, e.Message, CancellationToken.None, importId);
            }
            finally
            {
                TouchedCustomers.End(handle);
                run.DisposeRejected();
                // The connection goes back to the pool: the next user gets SQLite's default cache, not the import's.
                if (raw.sqlite3_get_autocommit(handle) != 0) Exec(handle, "PRAGMA cache_size = -2000");
            }
        }
    }

    // Two stages on two cores: this thread parses and validates into batches, the caller's thread writes them.
    private async Task ProcessRowsAsync(CsvInput input, RowValidator validator, StoreWriter writer, RunState run,
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
                    if (input.CurrentHasBadQuoting)
                    {
                        rowProblems.Add(new ImportProblem(line, null,
                            "broken quoting: a quote inside an unquoted field, or a quote never closed; wrap the field in double quotes and double any quote inside it"));
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
            await foreach (var batch in full.Reader.ReadAllAsync(CancellationToken.None))
            {
                for (var i = 0; i < batch.Count; i++)
                {
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
        _ => "customer_id and channel",
    };

    private static (HashSet<string>? Customers, HashSet<string>? Skus) LoadReferences(sqlite3 handle, ImportKind kind)
    {
        var customers = kind is ImportKind.Transactions or ImportKind.Events or ImportKind.Consents
            ? ReadStrings(handle, "SELECT customer_id FROM customers") : null;
        var skus = kind is ImportKind.Transactions or ImportKind.Events ? ReadStrings(handle, "SELECT sku FROM products") : null;
        return (customers, skus);
    }

    private static List<string> DropSecondaryIndexes(sqlite3 handle, string table)
    {
        var indexes = new List<(string Name, string Sql)>();
        Check(handle, raw.sqlite3_prepare_v2(handle,
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL", out var stmt));
        using (stmt)
        {
            raw.sqlite3_bind_text(stmt, 1, table);
            while (raw.sqlite3_step(stmt) == raw.SQLITE_ROW)
                indexes.Add((raw.sqlite3_column_text(stmt, 0).utf8_to_string(), raw.sqlite3_column_text(stmt, 1).utf8_to_string()));
        }
        foreach (var (name, _) in indexes) Exec(handle, $"DROP INDEX \"{name.Replace("\"", "\"\"")}\"");
        return indexes.Select(i => i.Sql).ToList();
    }

    private static HashSet<string> ReadStrings(sqlite3 handle, string sql)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var stmt));
        using (stmt)
        {
            while (raw.sqlite3_step(stmt) == raw.SQLITE_ROW) set.Add(raw.sqlite3_column_text(stmt, 0).utf8_to_string());
        }
        return set;
    }

    private static long InsertRun(sqlite3 handle, RunState run, ImportOutcome outcome)
    {
        const string sql = """
            INSERT INTO import_runs (kind, file_name, user_name, mode, outcome, started_at, duration_ms, rows_read, inserted,
                updated, unchanged, rejected, warnings, message, first_ordered_at, last_ordered_at, rejected_rows_file, owner)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
            """;
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var stmt));
        using (stmt)
        {
            BindRun(stmt, run, outcome, null);
            raw.sqlite3_bind_text(stmt, 18, ProcessOwner.Current);
            if (raw.sqlite3_step(stmt) != raw.SQLITE_DONE) throw new InvalidOperationException(raw.sqlite3_errmsg(handle).utf8_to_string());
        }
        return raw.sqlite3_last_insert_rowid(handle);
    }

    private static void UpdateRun(sqlite3 handle, long id, RunState run)
    {
        const string sql = """
            UPDATE import_runs SET kind = ?1, file_name = ?2, user_name = ?3, mode = ?4, outcome = ?5, started_at = ?6,
                duration_ms = ?7, rows_read = ?8, inserted = ?9, updated = ?10, unchanged = ?11, rejected = ?12, warnings = ?13,
                message = ?14, first_ordered_at = ?15, last_ordered_at = ?16, rejected_rows_file = ?17
            WHERE id = ?18
            """;
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var stmt));
        using (stmt)
        {
            BindRun(stmt, run, ImportOutcome.Imported, null);
            raw.sqlite3_bind_int64(stmt, 18, id);
            if (raw.sqlite3_step(stmt) != raw.SQLITE_DONE) throw new InvalidOperationException(raw.sqlite3_errmsg(handle).utf8_to_string());
        }
    }

    private static void BindRun(sqlite3_stmt stmt, RunState run, ImportOutcome outcome, string? message)
    {
        raw.sqlite3_bind_text(stmt, 1, run.Request.Kind.ToString());
        raw.sqlite3_bind_text(stmt, 2, run.Request.FileName);
        raw.sqlite3_bind_text(stmt, 3, run.Request.UserName);
        raw.sqlite3_bind_text(stmt, 4, run.Request.Mode.ToString());
        raw.sqlite3_bind_text(stmt, 5, outcome.ToString());
        raw.sqlite3_bind_text(stmt, 6, FieldParsers.FormatDateTime(run.StartedAt));
        raw.sqlite3_bind_int64(stmt, 7, (long)run.Clock.Elapsed.TotalMilliseconds);
        raw.sqlite3_bind_int64(stmt, 8, run.RowsRead);
        raw.sqlite3_bind_int64(stmt, 9, run.Inserted);
        raw.sqlite3_bind_int64(stmt, 10, run.Updated);
        raw.sqlite3_bind_int64(stmt, 11, run.Unchanged);
        raw.sqlite3_bind_int64(stmt, 12, run.ErrorRows);
        raw.sqlite3_bind_int64(stmt, 13, run.WarningCount);
        if (message is null) raw.sqlite3_bind_null(stmt, 14); else raw.sqlite3_bind_text(stmt, 14, message);
        if (run.FirstOrderedAt is null) raw.sqlite3_bind_null(stmt, 15); else raw.sqlite3_bind_text(stmt, 15, run.FirstOrderedAt);
        if (run.LastOrderedAt is null) raw.sqlite3_bind_null(stmt, 16); else raw.sqlite3_bind_text(stmt, 16, run.LastOrderedAt);
        if (run.RejectedFileName is null) raw.sqlite3_bind_null(stmt, 17); else raw.sqlite3_bind_text(stmt, 17, run.RejectedFileName);
    }

    // Records a run that wrote nothing (refused, cancelled, failed) in its own small transaction: over its Running row
    // when it had one.
    private async Task<ImportResult> RecordAsync(RunState run, ImportOutcome outcome, string? message, CancellationToken ct, long? runningId = null)
    {
        run.Finish();
        run.DisposeRejected();
        run.DiscardCounts();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (runningId is { } id) await db.ImportRuns.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        var entity = new ImportRun
        {
            Id = runningId ?? 0,
            Kind = run.Request.Kind,
            FileName = run.Request.FileName,
            UserName = run.Request.UserName,
            Mode = run.Request.Mode,
            Outcome = outcome,
            StartedAt = run.StartedAt,
            DurationMs = (long)run.Clock.Elapsed.TotalMilliseconds,
            RowsRead = run.RowsRead,
            Rejected = run.ErrorRows,
            Warnings = run.WarningCount,
            Message = message ?? (outcome == ImportOutcome.Refused ? $"{run.ErrorCount:N0} problems" : null),
            RejectedRowsFile = run.RejectedFileName,
        };
        db.ImportRuns.Add(entity);
        await db.SaveChangesAsync(ct);
        var result = run.ToResult(entity.Id, outcome, message);
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
        foreach (var run in running.Where(r => !ProcessOwner.IsAlive(r.Owner)))
        {
            run.Outcome = ImportOutcome.Interrupted;
            run.Message = "interrupted: the process stopped before the import finished (killed or crashed); nothing of it was written";
            run.Inserted = run.Updated = run.Unchanged = 0;
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

        public ImportResult ToResult(long id, ImportOutcome outcome, string? message) => new(
            id, Request.Kind, Request.FileName, Request.Mode, outcome, RowsRead, Inserted, Updated, Unchanged, ErrorRows,
            ErrorCount, WarningCount, _problems.OrderBy(p => p.Line).ToList(), UnknownColumns, RejectedFileName, Duration, message);
    }
}
