using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Import;

// The one place an import_runs row is written: inside the import's own transaction (inserted at the start, so the
// rows it writes can name it, and completed before the commit), or alone for a run that wrote nothing.
internal static class ImportHistory
{
    private const string Columns = "kind, file_name, user_name, mode, outcome, started_at, duration_ms, rows_read, inserted, " +
                                   "updated, unchanged, rejected, warnings, message, first_ordered_at, last_ordered_at, rejected_rows_file, owner";

    // Inserts the run (Id 0) or updates it; returns its id.
    public static long Write(IBulkSession session, ImportRun run)
    {
        var insert = run.Id == 0;
        using var statement = session.Prepare(insert
            ? $"INSERT INTO import_runs ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
            : $"UPDATE import_runs SET ({Columns}) = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) WHERE id = ?19");
        statement.Text(1, run.Kind.ToString());
        statement.Text(2, run.FileName);
        statement.Text(3, run.UserName);
        statement.Text(4, run.Mode.ToString());
        statement.Text(5, run.Outcome.ToString());
        statement.Text(6, StoreTime.Format(run.StartedAt));
        statement.Integer(7, run.DurationMs);
        statement.Integer(8, run.RowsRead);
        statement.Integer(9, run.Inserted);
        statement.Integer(10, run.Updated);
        statement.Integer(11, run.Unchanged);
        statement.Integer(12, run.Rejected);
        statement.Integer(13, run.Warnings);
        statement.Text(14, run.Message);
        statement.Text(15, run.FirstOrderedAt is { } first ? StoreTime.Format(first) : null);
        statement.Text(16, run.LastOrderedAt is { } last ? StoreTime.Format(last) : null);
        statement.Text(17, run.RejectedRowsFile);
        statement.Text(18, run.Owner);
        if (!insert) statement.Integer(19, run.Id);
        statement.Run();
        if (insert) run.Id = session.LastInsertedId;
        return run.Id;
    }

    // A run that wrote nothing (refused, cancelled, failed), in a small transaction of its own.
    public static long WriteAlone(StoreLocation store, ImportRun run)
    {
        using var session = store.Bulk.BeginSession(BulkSessionOptions.Default with { CacheMegabytes = 2 });
        var id = Write(session, run);
        session.Commit();
        return id;
    }
}
