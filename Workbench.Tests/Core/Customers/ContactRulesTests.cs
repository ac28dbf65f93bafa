using Workbench.Core.Customers;

namespace Workbench.Tests.Core.Customers;

public sealed class ContactRulesTests
{
    [Theory]
    [InlineData("+44 7700 900123", "GB", "447700900123")]
    [InlineData("07700 900123", "GB", "447700900123")]
    [InlineData("0044 7700-900123", null, "447700900123")]
    [InlineData("087 123 4567", "IE", "353871234567")]
    [InlineData("(555) 010-9999", "US", "5550109999")]
    [InlineData("  ", "GB", null)]
    public void NormalizePhone_FormsOfOneNumber_GiveOneKey(string phone, string? country, string? expected) =>
        Assert.Equal(expected, ContactRules.NormalizePhone(phone, country));

    [Theory]
    [InlineData("+447700900123", true)]
    [InlineData("07700 900123", true)]
    [InlineData("12ab", false)]
    [InlineData("123", false)]
    [InlineData("+44 7700 900123 4567 89", false)]
    public void IsValidPhone_Cases(string phone, bool valid) => Assert.Equal(valid, ContactRules.IsValidPhone(phone));

    [Theory]
    [InlineData(" Ann@Example.COM ", "ann@example.com")]
    [InlineData("", null)]
    public void NormalizeEmail_TrimsAndLowers(string email, string? expected) => Assert.Equal(expected, ContactRules.NormalizeEmail(email));

    [Fact]
    public void PhoneSpellings_CoverInternationalAndNationalForms() =>
        Assert.Equal(["+447700900001", "447700900001", "00447700900001", "07700900001"], ContactRules.PhoneSpellings("447700900001"));
}
