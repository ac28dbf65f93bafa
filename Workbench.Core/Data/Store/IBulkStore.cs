namespace Workbench.Core.Data.Store;

// The one way population-scale work reaches the store (imports, feature passes, audience building, roll-ups): a write
// session of its own, streaming reads, rows written many at a time. It speaks of tables, rows and transactions; the
// provider behind it (SQLite in Sqlite/, PostgreSQL with binary COPY next) chooses statements, settings and bulk
// paths. CRUD goes through EF Core (IDbContextFactory), plain parameterised reads through StoreSql.
public interface IBulkStore
{
    // Starts a write transaction now, waiting for another writer up to options.WaitForWriter; rolled back on dispose
    // unless committed.
    IBulkSession BeginSession(BulkSessionOptions options);

    // A read-only connection for one streaming pass; a larger cache keeps the interior pages of big tables.
    IStoreReader OpenReader(int cacheMegabytes = 0);

    // Tells whether anything was committed to the store (by any connection or process) since an earlier reading.
    IStoreChangeWatch WatchChanges();
}

// Version() differs from an earlier value of the same watch when a commit happened in between (it may also differ
// without one, never the other way round), so data read after a reading is current while the version stays.
public interface IStoreChangeWatch : IDisposable
{
    long Version();
}

public enum StoreValueKind { Integer, Real, Text, Blob, Null }

public sealed record BulkSessionOptions
{
    public static readonly BulkSessionOptions Default = new();

    // Derived data (features, summaries): a commit need not wait for the disk, a rebuild lost to a power cut is run again.
    public bool DerivedData { get; init; }
    public int CacheMegabytes { get; init; } = 64;
    // Threads an index build may sort on.
    public int SortThreads { get; init; } = 1;
    public TimeSpan WaitForWriter { get; init; } = TimeSpan.FromSeconds(60);
}

public interface IStoreReader : IDisposable
{
    // A forward-only cursor; args bind to ?1, ?2, … (string, long, int, double, DateTime as a store time, or null).
    IRowStream Query(string sql, params object?[] args);

    // The first column of the first row (0 when there is none).
    long Scalar(string sql, params object?[] args);

    // The first column of every row as distinct strings.
    HashSet<string> ReadStrings(string sql);
}

// One write transaction on a connection of its own; the provider's settings for it end with it.
public interface IBulkSession : IStoreReader
{
    // Statements without results (several may be given, separated by semicolons).
    void Execute(string sql);

    // A statement to run many times: bind, Run, bind, Run…
    IRowStatement Prepare(string sql);

    // Rows appended to one table many at a time; flushed reports the id of the first row of each flush and its row count
    // (the rows of one flush get consecutive ids).
    IRowInserter InsertRows(string table, IReadOnlyList<string> columns, Action<long, int>? flushed = null);

    // Drops the table's secondary indexes (a load then pays for no random index inserts) and returns their
    // definitions, to be given to CreateIndexes in the same transaction (a rollback restores them).
    IReadOnlyList<string> DropSecondaryIndexes(string table);

    // CREATE INDEX statements, built with a small sort cache (sorted runs that stay in the CPU's caches).
    void CreateIndexes(IEnumerable<string> definitions);

    // The id given to the last row inserted on this session.
    long LastInsertedId { get; }

    bool InTransaction { get; }

    void Commit();

    void Rollback();
}

// A prepared statement. Parameters are numbered from 1; Parameter gives the number of a named one ($name), 0 if absent.
// Numbers and NULLs stay bound until bound again (so a value common to every row is bound once); text holds for one
// Run and is bound again for the next.
public interface IRowStatement : IDisposable
{
    int Parameter(string name);
    void Text(int parameter, ReadOnlySpan<byte> utf8);
    void Text(int parameter, string? value);
    void Integer(int parameter, long? value);
    // NaN and infinities are stored as NULL.
    void Real(int parameter, double? value);
    void Null(int parameter);

    // Runs the statement once; the rows it changed.
    int Run();
}

// Values are read from the current row only; text and blob bytes are valid until the next Next.
public interface IRowStream : IDisposable
{
    bool Next();
    ReadOnlySpan<byte> Bytes(int column);
    string? Text(int column);
    long Integer(int column);
    double Real(int column);
    bool IsNull(int column);
    StoreValueKind Kind(int column);
}

// A row is set column by column (0-based), then ended; Flush writes what is held.
public interface IRowInserter : IDisposable
{
    void Text(int column, ReadOnlySpan<byte> utf8);
    void Text(int column, string? value);
    // A UTC time as the store keeps times (StoreTime).
    void Time(int column, DateTime? utc);
    void Integer(int column, long? value);
    void Real(int column, double? value);
    void Null(int column);
    void EndRow();
    void Flush();
}
