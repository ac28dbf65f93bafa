using System.Collections.Concurrent;
using Workbench.Core.Data;

namespace Workbench.Core.Import;

internal enum BindKind : byte { Null, Text, Integer, Real }

internal struct BindValue
{
    public BindKind Kind;
    public string? Text;
    public long Integer;
    public double Real;

    public static BindValue Null => default;
    public static BindValue Of(string text) => new() { Kind = BindKind.Text, Text = text };
    public static BindValue Of(long value) => new() { Kind = BindKind.Integer, Integer = value };
    public static BindValue Of(double value) => new() { Kind = BindKind.Real, Real = value };

    // Binds this value to a statement's parameter (0: the statement has no such parameter, nothing to bind).
    public readonly void BindTo(Data.Store.IRowStatement statement, int parameter)
    {
        if (parameter <= 0) return;
        switch (Kind)
        {
            case BindKind.Text: statement.Text(parameter, Text); break;
            case BindKind.Integer: statement.Integer(parameter, Integer); break;
            case BindKind.Real: statement.Real(parameter, Real); break;
            default: statement.Null(parameter); break;
        }
    }
}

// Validates one record against a schema and turns its fields into values ready to bind. Pure apart from the
// reference sets it is given (ids already in the store).
internal sealed class RowValidator
{
    private static readonly ConcurrentDictionary<string, bool> TimeZones = new(StringComparer.Ordinal);

    private readonly ImportSchema _schema;
    private readonly int[] _columnOf;
    private readonly IReadOnlySet<string>? _customers;
    private readonly IReadOnlySet<string>? _skus;
    private readonly int _customerField;
    private readonly int _skuField;

    public RowValidator(ImportSchema schema, int[] columnOf, IReadOnlySet<string>? customers, IReadOnlySet<string>? skus)
    {
        _schema = schema;
        _columnOf = columnOf;
        _customers = customers;
        _skus = skus;
        _customerField = schema.Kind is ImportKind.Transactions or ImportKind.Events or ImportKind.Consents
            ? schema.IndexOf("customer_id") : -1;
        _skuField = schema.Kind is ImportKind.Transactions or ImportKind.Events ? schema.IndexOf("sku") : -1;
    }

    public int FieldCount => _schema.Fields.Count;

    // Returns false when the row has an error (warnings leave it valid). Problems are appended.
    public bool Validate(string[] record, long line, Span<BindValue> values, List<ImportProblem> problems)
    {
        var valid = true;
        for (var f = 0; f < _schema.Fields.Count; f++)
        {
            var spec = _schema.Fields[f];
            var column = _columnOf[f];
            var text = column < 0 ? "" : record[column].Trim();
            if (text.Length == 0 && column >= 0 && spec.Default is not null) text = spec.Default;
            if (text.Length == 0)
            {
                values[f] = BindValue.Null;
                if (spec.Required)
                {
                    problems.Add(new ImportProblem(line, spec.Name, $"{spec.Name} is required but empty"));
                    valid = false;
                }
                continue;
            }
            if (text.Length > spec.Limit)
            {
                problems.Add(new ImportProblem(line, spec.Name, $"{spec.Name} is {text.Length:N0} characters long: at most {spec.Limit:N0} allowed"));
                values[f] = BindValue.Null;
                valid = false;
                continue;
            }
            if (!Convert(spec, text, line, out values[f], problems)) valid = false;
        }

        if (valid && _customerField >= 0 && _customers is not null)
        {
            var id = values[_customerField].Text!;
            if (!_customers.Contains(id))
            {
                problems.Add(new ImportProblem(line, "customer_id",
                    $"customer '{FieldParsers.Printable(id)}' is neither in the store nor in this file: import the customers first, or fix the id"));
                valid = false;
            }
        }
        if (valid && _schema.Kind == ImportKind.Outcomes && !OutcomeWriter.ValidKey(values, line, problems)) valid = false;
        if (valid && _skuField >= 0 && _skus is not null && values[_skuField].Kind == BindKind.Text)
        {
            var sku = values[_skuField].Text!;
            if (!_skus.Contains(sku))
            {
                problems.Add(new ImportProblem(line, "sku",
                    $"sku '{FieldParsers.Printable(sku)}' is neither in the store nor in this file: import the products first, or fix the sku"));
                valid = false;
            }
        }
        return valid;
    }

    private static bool Convert(FieldSpec spec, string text, long line, out BindValue value, List<ImportProblem> problems)
    {
        value = BindValue.Null;
        switch (spec.Type)
        {
            case FieldType.Text:
                value = BindValue.Of(text);
                return true;

            case FieldType.Integer:
                if (!FieldParsers.TryParseInteger(text, out var integer))
                    return Fail(problems, line, spec, $"'{FieldParsers.Printable(text)}' is not a whole number");
                if (spec.NonNegative && integer < 0)
                    return Fail(problems, line, spec, $"{spec.Name} must not be negative ('{FieldParsers.Printable(text)}')");
                if (integer < spec.Min || integer > spec.Max)
                    return Fail(problems, line, spec, OutOfRange(spec, text));
                value = BindValue.Of(integer);
                return true;

            case FieldType.Decimal:
                if (!FieldParsers.TryParseDecimal(text, out var number))
                    return Fail(problems, line, spec, $"'{FieldParsers.Printable(text)}' is not a number (write decimals with a dot, e.g. 12.50, no thousands separators)");
                if (spec.NonNegative && number < 0)
                    return Fail(problems, line, spec, $"{spec.Name} must not be negative ('{FieldParsers.Printable(text)}')");
                if (spec.NonZero && number == 0)
                    return Fail(problems, line, spec, $"{spec.Name} must not be zero (a return has a negative quantity)");
                if (number < spec.Min || number > spec.Max)
                    return Fail(problems, line, spec, OutOfRange(spec, text));
                value = BindValue.Of(number);
                return true;

            case FieldType.Date:
                if (!FieldParsers.TryParseDate(text, out var date))
                    return Fail(problems, line, spec, $"'{FieldParsers.Printable(text)}' is not an ISO date (write YYYY-MM-DD, e.g. 2026-03-01)");
                value = BindValue.Of(StoreTime.Format(date));
                return true;

            case FieldType.DateTime:
                if (!FieldParsers.TryParseDateTime(text, out var instant))
                    return Fail(problems, line, spec,
                        $"'{FieldParsers.Printable(text)}' is not an ISO date-time (write YYYY-MM-DDTHH:MM:SS, optionally with an offset such as +01:00)");
                value = BindValue.Of(StoreTime.Format(instant));
                return true;

            case FieldType.Email:
                value = BindValue.Of(text);
                if (!FieldParsers.IsValidEmail(text))
                {
                    // Kept as written so the data-quality view can show it; reported so the source gets fixed.
                    problems.Add(new ImportProblem(line, spec.Name,
                        $"'{FieldParsers.Printable(text)}' is not a valid email address; kept as written, fix it at the source", ProblemSeverity.Warning));
                }
                return true;

            case FieldType.Choice:
                foreach (var allowed in spec.Allowed!)
                {
                    if (string.Equals(allowed, text, StringComparison.OrdinalIgnoreCase))
                    {
                        value = BindValue.Of(allowed);
                        return true;
                    }
                }
                return Fail(problems, line, spec, $"'{FieldParsers.Printable(text)}' is not a known {spec.Name}: use {string.Join(", ", spec.Allowed!)}");

            case FieldType.TimeZone:
                if (!TimeZones.GetOrAdd(text, id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)))
                    return Fail(problems, line, spec, $"'{FieldParsers.Printable(text)}' is not an IANA time zone (e.g. Europe/London)");
                value = BindValue.Of(text);
                return true;

            default:
                throw new InvalidOperationException($"unhandled field type {spec.Type}");
        }
    }

    private static string OutOfRange(FieldSpec spec, string text) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{spec.Name} '{FieldParsers.Printable(text)}' is outside the accepted range {(spec.NonNegative ? 0 : spec.Min):#,0.##} to {spec.Max:#,0.##}");

    private static bool Fail(List<ImportProblem> problems, long line, FieldSpec spec, string reason)
    {
        problems.Add(new ImportProblem(line, spec.Name, reason));
        return false;
    }
}
