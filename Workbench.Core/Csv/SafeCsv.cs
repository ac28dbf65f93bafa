using System.Globalization;
using CsvHelper;

namespace Workbench.Core.Csv;

// Every CSV the app writes goes through here, so a spreadsheet opens hostile text as text, not as a formula.
public static class SafeCsv
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    // A field starting with = + - @ tab or CR gets a leading single quote. A plain number (-5, +3.50) is left as it
    // is: a spreadsheet reads it as a number, never as a formula, and re-importing a file keeps returns negative.
    public static string? Neutralise(string? field)
    {
        if (string.IsNullOrEmpty(field) || Array.IndexOf(FormulaStarts, field[0]) < 0) return field;
        if (IsPlainNumber(field)) return field;
        return "'" + field;
    }

    // The inverse, for files the app wrote coming back (rejected rows fixed and imported again): '=x becomes =x.
    public static string Restore(string field) =>
        field.Length > 1 && field[0] == '\'' && Array.IndexOf(FormulaStarts, field[1]) >= 0 ? field[1..] : field;

    public static void WriteSafeField(this CsvWriter writer, string? field) => writer.WriteField(Neutralise(field));

    public static void WriteRow(this CsvWriter csv, IEnumerable<string?> fields)
    {
        foreach (var field in fields) csv.WriteField(Neutralise(field));
        csv.NextRecord();
    }

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    // Leaves the writer open: the caller owns it (an HTTP response must be flushed asynchronously).
    public static CsvWriter CreateWriter(TextWriter writer) => new(writer, CultureInfo.InvariantCulture, leaveOpen: true);

    private static bool IsPlainNumber(string field)
    {
        var digits = 0;
        var dot = false;
        for (var i = 1; i < field.Length; i++)
        {
            var c = field[i];
            if (char.IsAsciiDigit(c)) digits++;
            else if (c == '.' && !dot) dot = true;
            else return false;
        }
        return digits > 0 && field[0] is '-' or '+';
    }
}
