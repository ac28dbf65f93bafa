using System.Security.Claims;
using Workbench.Core.Customers;
using Workbench.Core.Users;

namespace Workbench.Security;

// Viewers see contact details masked (j***@example.com, +44 *** *** 123); every other role sees them whole.
// Pages and endpoints mask through these helpers (PersonalDataMasking for whole records), so it happens on the server.
public static class PersonalDataAccess
{
    public static bool SeesPersonalData(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Marketer) || user.IsInRole(Roles.Analyst);

    public static string? Email(ClaimsPrincipal user, string? email) =>
        SeesPersonalData(user) ? email : PersonalDataMask.MaskEmail(email);

    public static string? Phone(ClaimsPrincipal user, string? phone) =>
        SeesPersonalData(user) ? phone : PersonalDataMask.MaskPhone(phone);
}

// The same masking applied to whole records on their way out of a page or an endpoint.
public static class PersonalDataMasking
{
    public static CustomerListItem Mask(this ClaimsPrincipal user, CustomerListItem item) =>
        PersonalDataAccess.SeesPersonalData(user) ? item : item with { Email = PersonalDataMask.MaskEmail(item.Email) };

    // The contact fields, and the same values wherever a data issue quotes them ("Email 'x@@y': fails validation").
    public static CustomerProfile Mask(this ClaimsPrincipal user, CustomerProfile profile)
    {
        if (PersonalDataAccess.SeesPersonalData(user)) return profile;
        var replacements = profile.Fields
            .Where(f => f.Name is "email" or "phone" && !string.IsNullOrEmpty(f.Value))
            .Select(f => (Raw: f.Value!, Masked: (f.Name == "email" ? PersonalDataMask.MaskEmail(f.Value) : PersonalDataMask.MaskPhone(f.Value))!))
            .ToList();
        string Scrub(string text) => replacements.Aggregate(text, (t, r) => t.Replace(r.Raw, r.Masked, StringComparison.Ordinal));
        return profile with
        {
            Fields = profile.Fields.Select(f => f.Name is "email" or "phone" && f.Value is not null ? f with { Value = Scrub(f.Value) } : f).ToList(),
            Issues = profile.Issues.Select(i => i with { Message = Scrub(i.Message) }).ToList(),
        };
    }

    // CSV rows whose first one names the columns: the email and phone columns masked for a Viewer.
    public static async IAsyncEnumerable<IEnumerable<string?>> MaskRows(this ClaimsPrincipal user, IAsyncEnumerable<IEnumerable<string?>> rows)
    {
        IReadOnlyList<string>? columns = null;
        await foreach (var row in rows)
        {
            if (columns is null)
            {
                var header = row.ToList();
                columns = header.Select(c => c ?? "").ToList();
                yield return header;
                continue;
            }
            yield return user.MaskRow(columns, row.ToList());
        }
    }

    // A row of named columns (quality records, exports): the email and phone columns masked.
    public static IReadOnlyList<string?> MaskRow(this ClaimsPrincipal user, IReadOnlyList<string> columns, IReadOnlyList<string?> row)
    {
        if (PersonalDataAccess.SeesPersonalData(user)) return row;
        var masked = row.ToArray();
        for (var i = 0; i < masked.Length && i < columns.Count; i++)
        {
            masked[i] = columns[i] switch
            {
                "email" => PersonalDataMask.MaskEmail(masked[i]),
                "phone" => PersonalDataMask.MaskPhone(masked[i]),
                _ => masked[i],
            };
        }
        return masked;
    }
}
