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
            var code = new string(trimmed.Skip(1).TakeWhile(char.IsAsciiDigit).ToArray());
            if (code.Length is > 0 and <= 3 && code.Length + 3 < digits.Length) return $"+{code} *** *** {last}";
        }
        return $"*** *** {last}";
    }
}
