namespace Workbench.Core.Data;

// An id for a new row made from a stem (a name's slug): the stem itself when free, else the stem with the first free
// "-2", "-3"… The stem is cut to leave room for the suffix. taken: the ids already equal to the stem or starting with
// "stem-" (the caller reads them from its table).
public static class StoreIds
{
    public static string Stem(string stem, int maxLength) => (stem.Length > maxLength - 4 ? stem[..(maxLength - 4)] : stem).TrimEnd('-');

    public static string Unique(string stem, IReadOnlySet<string> taken)
    {
        if (!taken.Contains(stem)) return stem;
        for (var n = 2; ; n++)
            if (!taken.Contains($"{stem}-{n}")) return $"{stem}-{n}";
    }
}
