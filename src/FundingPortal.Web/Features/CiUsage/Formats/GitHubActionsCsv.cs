namespace FundingPortal.Web.Features.CiUsage;

/// <summary>GitHub's legacy metered usage report (one row per day × repository × workflow × SKU, with its price per unit).</summary>
public sealed class GitHubActionsCsv : CsvImportFormat
{
    public static readonly GitHubActionsCsv Instance = new();

    public static readonly string[] Header =
        ["Date", "Product", "SKU", "Quantity", "Unit Type", "Price Per Unit ($)", "Multiplier", "Owner", "Repository Slug", "Username", "Actions Workflow", "Notes"];

    private GitHubActionsCsv()
        : base(id: "GitHubActionsCsv", name: "github-actions-csv", description: "GitHub Actions usage report (CSV)", providerKind: CiProviderKind.GitHubActions)
    {
    }

    protected override bool RecognisesHeader(IReadOnlySet<string> header) =>
        header.Contains("Price Per Unit ($)") || (header.Contains("SKU") && header.Contains("Multiplier"));

    internal override CsvRowParser Rows(IReadOnlyList<string> header, ImportContext context) => new GitHubActionsCsvRows(header, context);
}

/// <summary>GitHub's legacy metered usage report: cost = Quantity × Price Per Unit; the multiplier only gives quota minutes.</summary>
internal sealed class GitHubActionsCsvRows : CsvRowParser
{
    private readonly int _date, _product, _sku, _quantity, _unit, _price, _multiplier, _owner, _repository, _username, _workflow;

    public GitHubActionsCsvRows(IReadOnlyList<string> header, ImportContext context) : base(header, GitHubActionsCsv.Header[..11], "GitHub Actions usage report", context)
    {
        (_date, _product, _sku, _quantity, _unit, _price) = (Column("Date"), Column("Product"), Column("SKU"), Column("Quantity"), Column("Unit Type"), Column("Price Per Unit ($)"));
        (_multiplier, _owner, _repository, _username, _workflow) = (Column("Multiplier"), Column("Owner"), Column("Repository Slug"), Column("Username"), Column("Actions Workflow"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var sku = Text(fields, _sku);
        if (!IsMinutes(Text(fields, _product), Text(fields, _unit), sku))
        {
            return new NotMinutesRow(line);
        }
        var provider = Context.Provider ?? throw new RowException("no GitHub Actions provider is set up.");
        var day = Timestamp(fields, _date, "Date");
        var quantity = AggregatedMinutes(fields, _quantity, "Quantity");
        var price = Number(fields, _price, "Price Per Unit ($)");
        var multiplier = Number(fields, _multiplier, "Multiplier");
        var owner = Text(fields, _owner);
        var repository = Text(fields, _repository);
        var workflow = Text(fields, _workflow);
        var username = Text(fields, _username);
        var project = OwnerAndRepository(owner, repository);
        // Cost is quantity × the OS price already in the row. Never × the multiplier too: that only says how fast included minutes go.
        var amount = CiPriceBook.ToMicros(quantity * price);
        var run = new CiJobRun(provider.Provider.Id, Context.BatchId,
            CiImportFormats.StableId("gha-usage:", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), owner, repository, workflow, sku, username),
            Limit(project, 200), workflow.Length == 0 ? null : Limit(workflow, 200), Limit(workflow.Length == 0 ? sku : workflow, 200), Limit(sku, 100),
            CiImportFormats.OsFrom(sku), day, null, Seconds(quantity), quantity, quantity * multiplier, amount, amount, provider.Provider.Currency,
            CiJobStatus.Success, null, IsRetry: false);
        return new RunRow(line, run);
    }
}
