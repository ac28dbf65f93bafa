using System.Net.Mail;

namespace Workbench.Core.Customers;

// Pure checks on contact fields, shared by the quality rules (through SQLite functions) and the profile.
public static class ContactRules
{
    // The importer's rule too (FieldParsers), so the page and the import report agree on what an invalid email is.
    public static bool IsValidEmail(string? email) => email is not null && IsWellFormedEmail(email.Trim());

    public static bool IsWellFormedEmail(string text)
    {
        if (text.Length > 254 || text.Contains(' ') || text.Contains("..", StringComparison.Ordinal)) return false;
        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@')) return false;
        var domain = text.AsSpan(at + 1);
        var dot = domain.LastIndexOf('.');
        if (dot <= 0 || dot >= domain.Length - 2 || domain[0] == '.' || domain[^1] == '.') return false;
        return MailAddress.TryCreate(text, out var address) && address.Address == text && address.DisplayName.Length == 0;
    }

    public static string? NormalizeEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    // Digits only, in international form without the '+': a leading 00 is an international prefix; a single leading 0
    // is a national trunk prefix, replaced by the country's calling code (GB 44, IE 353; others unchanged).
    public static string? NormalizePhone(string? phone, string? country)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0) return null;
        if (digits.StartsWith("00", StringComparison.Ordinal)) return digits[2..];
        if (phone.TrimStart().StartsWith('+')) return digits;
        if (digits.StartsWith('0'))
        {
            var code = country?.Trim().ToUpperInvariant() switch
            {
                "GB" or "UK" => "44",
                "IE" => "353",
                _ => null,
            };
            return code is null ? digits : code + digits[1..];
        }
        return digits;
    }

    // The ways one normalised number is written once separators are taken out (see CustomerSchema.PhoneDigitsSql):
    // with +, bare, with 00, and in national form with a trunk 0 for GB and IE numbers.
    public static IReadOnlyList<string> PhoneSpellings(string normalised)
    {
        var spellings = new List<string> { "+" + normalised, normalised, "00" + normalised };
        foreach (var code in new[] { "44", "353" })
        {
            if (normalised.StartsWith(code, StringComparison.Ordinal) && normalised.Length > code.Length)
                spellings.Add("0" + normalised[code.Length..]);
        }
        return spellings;
    }

    // Only digits, spaces, dashes, dots, brackets and a leading '+'; 7 to 15 digits (E.164 allows at most 15).
    public static bool IsValidPhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return false;
        var text = phone.Trim();
        var digits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c)) digits++;
            else if (c == '+' && i == 0) continue;
            else if (c is not (' ' or '-' or '.' or '(' or ')')) return false;
        }
        return digits is >= 7 and <= 15;
    }
}
