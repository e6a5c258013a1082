using System.Text;

using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.UnitTests;

public class CiImportParsingTests
{
    private static List<(int Line, string[] Fields)> ReadCsv(string text)
    {
        var csv = new CsvRecordReader(new StringReader(text));
        var records = new List<(int, string[])>();
        while (csv.Read())
        {
            records.Add((csv.RecordLine, csv.Fields.ToArray()));
        }
        return records;
    }

    [Fact]
    public void Csv_reader_handles_quotes_commas_line_breaks_crlf_and_a_byte_order_mark()
    {
        var records = ReadCsv("\uFEFFa,b,c\r\n1,\"two, \"\"quoted\"\"\",\"three\r\nlines\nhere\"\r\n\r\n4,,\n");

        Assert.Equal([1, 2, 6], records.Select(r => r.Line));
        Assert.Equal(["a|b|c", "1|two, \"quoted\"|three\r\nlines\nhere", "4||"], records.Select(r => string.Join('|', r.Fields)));
    }

    [Theory]
    [InlineData("a,\"open\n", "Line 1: a quoted field never closes")]
    [InlineData("x\n\"a\"b,c\n", "Line 2, field 1: unexpected text after a closing quote")]
    public void Csv_reader_names_the_line_of_a_broken_quote(string text, string message)
    {
        var problem = Assert.Throws<ImportFileException>(() => ReadCsv(text));
        Assert.StartsWith(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_reader_refuses_a_runaway_field_instead_of_filling_memory()
    {
        var csv = new CsvRecordReader(new StringReader("\"" + new string('x', 2_000)), maxFieldLength: 1_000);
        Assert.Contains("longer than 1,000 characters", Assert.Throws<ImportFileException>(() => csv.Read()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Date,Product,SKU,Quantity,Unit Type,Price Per Unit ($),Multiplier,Owner,Repository Slug,Username,Actions Workflow,Notes", "github-actions-csv")]
    [InlineData("\"date\",\"product\",\"sku\",\"quantity\",\"unit_type\",\"applied_cost_per_quantity\",\"gross_amount\",\"discount_amount\",\"net_amount\",\"organization\",\"repository\",\"cost_center_name\"", "github-actions-enhanced-csv")]
    [InlineData("PROJECT_NAME,JOB_NAME,JOB_ID,TOTAL_CREDITS", "circleci-usage-csv")]
    [InlineData("\uFEFFprovider,project,pipeline,job,runner,started_at,finished_at,duration_seconds,status,cost,currency,external_id", "generic-csv")]
    [InlineData("  \n[{\"id\": 1}]", "gitlab-jobs-json")]
    [InlineData("{\"id\": 1}\n{\"id\": 2}", "gitlab-jobs-json")]
    public void Formats_are_detected_from_the_header_or_the_first_byte(string head, string expected)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(head + "\n"));
        Assert.Equal(expected, CiImportFormats.Detect(stream).Name);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void GitLab_reader_finds_jobs_in_concatenated_arrays_and_lines_across_buffer_boundaries()
    {
        var job = "{\"id\": 1, \"name\": \"" + new string('n', 70_000) + "\"}";
        var text = $"[{job},\n{job}]\n[\n{job}]\n{job}\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var lines = GitLabJobReader.Objects(stream).Select(o => o.Line).ToList();

        Assert.Equal([1, 2, 4, 5], lines);
    }

    [Theory]
    [InlineData("ubuntu-latest", "2025-12-31", 0.008)]
    [InlineData("ubuntu-latest", "2026-01-01", 0.006)]
    [InlineData("windows-latest", "2026-06-01", 0.010)]
    [InlineData("macos-latest", "2025-06-01", 0.08)]
    public void List_prices_apply_from_their_date(string runner, string day, decimal expected)
    {
        var github = CiListPrices.Providers().Single(p => p.Kind == CiProviderKind.GitHubActions);
        Assert.Equal(expected, new CiPriceBook(github).PriceFor(runner, RunnerOs.Linux, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture))!.PricePerMinute);
    }

    [Fact]
    public void GitHub_rounds_each_job_up_to_a_minute_and_the_multiplier_counts_quota_not_money()
    {
        var book = new CiPriceBook(CiListPrices.Providers().Single(p => p.Kind == CiProviderKind.GitHubActions));

        var cost = book.PriceRun(61, "macos-latest", RunnerOs.MacOs, new DateOnly(2026, 2, 1));

        Assert.Equal(new CiRunCost(2m, 20m, 124_000, cost.Price), cost);
    }

    [Fact]
    public void GitLab_sums_minutes_without_rounding_a_job_up_and_uses_the_cost_factor()
    {
        var book = new CiPriceBook(CiListPrices.Providers().Single(p => p.Kind == CiProviderKind.GitLabCi));

        var cost = book.PriceRun(90, "saas-linux-large-amd64", RunnerOs.Linux, new DateOnly(2026, 2, 1));

        Assert.Equal((1.5m, 4.5m, 45_000L), (cost.RawMinutes, cost.QuotaMinutes, cost.ListAmountMicros));
    }

    [Fact]
    public void CircleCI_credits_are_priced_at_the_credit_price_and_an_unknown_runner_falls_back_to_its_os()
    {
        var book = new CiPriceBook(CiListPrices.Providers().Single(p => p.Kind == CiProviderKind.CircleCi));

        Assert.Equal(270_300L, book.PriceCredits(450.5m, "no-such-class", RunnerOs.Other, new DateOnly(2026, 1, 1)));
        Assert.Equal("small", book.PriceFor("arm.medium", RunnerOs.Linux, new DateOnly(2026, 1, 1))!.RunnerType);
    }

    [Fact]
    public void A_self_hosted_runner_without_a_price_carries_its_share_of_the_hosting_bill()
    {
        var provider = CiProvider.New("Own runners", CiProviderKind.SelfHosted, CiRounding.PerTotal, 0, "USD").Value!;
        provider.SetHostingCost(new Money(744_00, "USD"));

        // $744 over the 44,640 minutes of a 31-day month is $0.01666… a minute.
        var cost = new CiPriceBook(provider).PriceRun(3600, "box-1", RunnerOs.Linux, new DateOnly(2026, 1, 15));

        Assert.Equal((60m, 0m, 1_000_000L), (cost.RawMinutes, cost.QuotaMinutes, cost.ListAmountMicros));
    }
}
