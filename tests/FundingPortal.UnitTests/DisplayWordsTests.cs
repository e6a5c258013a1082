using FundingPortal.Core.Domain;
using FundingPortal.Web.Components.Common;

namespace FundingPortal.UnitTests;

/// <summary>Every enum value the pages show reads as words, never as its code name.</summary>
public class DisplayWordsTests
{
    [Theory]
    [InlineData(PledgeStatus.PartiallyFulfilled, "Partially fulfilled")]
    [InlineData(PaymentMethod.BankTransfer, "Bank transfer")]
    [InlineData(PledgeKind.EngineerTime, "Engineer time")]
    [InlineData(InfrastructureKind.CiCredits, "CI credits")]
    [InlineData(ExpenseCategory.BuildServer, "Build server")]
    [InlineData(DevopsTaskStatus.InProgress, "In progress")]
    [InlineData(CiProviderKind.GitHubActions, "GitHub Actions")]
    [InlineData(CiJobStatus.TimedOut, "Timed out")]
    [InlineData(ImportBatchStatus.RolledBack, "Rolled back")]
    [InlineData(FundKind.Central, "Central")]
    public void A_value_reads_as_words(Enum value, string expected) => Assert.Equal(expected, Display.Words(value));

    [Fact]
    public void No_value_of_any_model_enum_shows_a_code_name()
    {
        var enums = typeof(Money).Assembly.GetTypes().Where(type => type.IsEnum && type.IsPublic);
        foreach (var value in enums.SelectMany(type => Enum.GetValues(type).Cast<Enum>()))
        {
            var words = Display.Words(value);
            Assert.DoesNotMatch("[a-z][A-Z]", words.Replace("GitHub", "").Replace("GitLab", "").Replace("CircleCI", "").Replace("AppVeyor", "").Replace("macOS", ""));
        }
    }
}
