namespace Workbench.Core.Users;

// What a Viewer sees of contact details: enough to recognise, not enough to use.
public static class PersonalDataMask
{
    // jane@example.com -> j***@example.com
    public static string? MaskEmail(string? email)
    {
        if (string.IsNullOrEmpty(email)) return email;
        var at = email.LastIndexOf('@');
        if (at <= 0) return "***";
        return email[0] + "***" + email[at..];
    }

    // +44 7700 900123 -> +44 *** *** 123: the country code and the last three digits stay.
    public static string? MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return phone;
        var digits = phone.Where(char.IsAsciiDigit).ToArray();
        if (digits.Length < 4) return "***";
        var last = new string(digits[^3..]);
        var trimmed = phone.TrimStart();
        if (trimmed.StartsWith('+'))
        {
            var run = new string(trimmed.Skip(1).TakeWhile(char.IsAsciiDigit).ToArray());
            // Written with a space after the code (+44 7700…) the code is the first group; written solid
            // (+447700…) it is found from the ITU prefix plan.
            var code = run.Length <= 3 ? run : run[..CountryCodeLength(run)];
            if (code.Length > 0 && code.Length + 3 < digits.Length) return $"+{code} *** *** {last}";
        }
        return $"*** *** {last}";
    }

    private static readonly string[] ThreeDigitPrefixes =
        ["21", "22", "23", "24", "25", "26", "29", "35", "37", "38", "42", "50", "59", "67", "68", "69", "80", "85", "87", "88", "96", "97", "99"];

    private static int CountryCodeLength(string digits) =>
        digits[0] is '1' or '7' ? 1 : ThreeDigitPrefixes.Contains(digits[..2]) ? 3 : 2;
}
