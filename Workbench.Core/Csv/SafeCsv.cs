using System.Globalization;
using CsvHelper;

namespace Workbench.Core.Csv;

// CSV for people to open in a spreadsheet: a field beginning with = + - @ tab or CR is prefixed with a single quote,
// so it is shown as text and never run as a formula (CSV injection). A plain number (-12.5) is left as it is.
public static class SafeCsv
{
    public static string? Neutralise(string? field)
    {
        if (string.IsNullOrEmpty(field) || field[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r')) return field;
        if (field[0] == '-' && double.TryParse(field, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out _)) return field;
        return "'" + field;
    }

    public static CsvWriter CreateWriter(TextWriter writer) => new(writer, CultureInfo.InvariantCulture);

    public static void WriteRow(this CsvWriter csv, IEnumerable<string?> fields)
    {
        foreach (var field in fields) csv.WriteField(Neutralise(field));
        csv.NextRecord();
    }

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
