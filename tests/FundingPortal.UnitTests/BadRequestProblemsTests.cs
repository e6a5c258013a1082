using FundingPortal.Web.Infrastructure;

namespace FundingPortal.UnitTests;

/// <summary>ASP.NET Core's binding failures become a sentence naming the parameter and what it expects.</summary>
public class BadRequestProblemsTests
{
    [Theory]
    [InlineData("Failed to bind parameter \"int? provider\" from \"GitHub Actions\".", "provider",
        "The parameter 'provider' cannot be 'GitHub Actions': it expects a whole number.")]
    [InlineData("Failed to bind parameter \"DateOnly from\" from \"March\".", "from", "The parameter 'from' cannot be 'March': it expects a date as yyyy-MM-dd.")]
    [InlineData("Required parameter \"string mode\" was not provided from form.", "mode", "The parameter 'mode' is required: send a value of type string.")]
    public void A_binding_failure_names_its_parameter(string message, string field, string expected) =>
        Assert.Equal((field, expected), BadRequestProblems.Describe(message));
}
