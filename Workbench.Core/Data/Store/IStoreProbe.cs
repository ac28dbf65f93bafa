namespace Workbench.Core.Data.Store;

// Reads on a store held locked (for a restore): which tables it has, their row counts, a column of text values.
internal interface IStoreProbe
{
    bool HasTable(string table);

    long Count(string table);

    IReadOnlyList<string> Strings(string sql);
}
