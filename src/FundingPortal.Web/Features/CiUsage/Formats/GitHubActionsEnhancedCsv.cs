namespace FundingPortal.Web.Features.CiUsage;

/// <summary>GitHub's enhanced billing report (gross, discount and net amounts per day × repository × SKU).</summary>
public sealed class GitHubActionsEnhancedCsv : CsvImportFormat
{
    public static readonly GitHubActionsEnhancedCsv Instance = new();

    public static readonly string[] Header =
        ["date", "product", "sku", "quantity", "unit_type", "applied_cost_per_quantity", "gross_amount", "discount_amount", "net_amount", "organization", "repository", "cost_center_name"];

    private GitHubActionsEnhancedCsv()
        : base(id: "GitHubActionsEnhancedCsv", name: "github-actions-enhanced-csv", description: "GitHub Actions enhanced billing report (CSV)", providerKind: CiProviderKind.GitHubActions,
            recognisedBy: ["gross_amount", "net_amount", "applied_cost_per_quantity"])
    {
    }

    internal override CsvRowParser Rows(IReadOnlyList<string> header, ImportContext context) => new GitHubActionsEnhancedCsvRows(header, context);
}

/// <summary>GitHub's enhanced billing report: gross is the list-price value, net what was actually paid; both taken as given.</summary>
internal sealed class GitHubActionsEnhancedCsvRows : CsvRowParser
{
    private readonly int _date, _product, _sku, _quantity, _unit, _gross, _discount, _net, _organization, _repository;
    private readonly int? _username, _workflow, _costCenter;

    public GitHubActionsEnhancedCsvRows(IReadOnlyList<string> header, ImportContext context)
        : base(header, GitHubActionsEnhancedCsv.Header.Where(c => c != "cost_center_name" && c != "applied_cost_per_quantity"), "GitHub Actions enhanced billing report", context)
    {
        (_date, _product, _sku, _quantity, _unit) = (Column("date"), Column("product"), Column("sku"), Column("quantity"), Column("unit_type"));
        (_gross, _discount, _net, _organization, _repository) = (Column("gross_amount"), Column("discount_amount"), Column("net_amount"), Column("organization"), Column("repository"));
        (_username, _workflow, _costCenter) = (OptionalColumn("username"), OptionalColumn("workflow_path"), OptionalColumn("cost_center_name"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var sku = Text(fields, _sku);
        if (!IsMinutes(Text(fields, _product), Text(fields, _unit), sku))
        {
            return new NotMinutesRow(line);
        }
        var book = Context.Provider ?? throw new RowException("no GitHub Actions provider is set up.");
        var day = Timestamp(fields, _date, "date");
        var quantity = AggregatedMinutes(fields, _quantity, "quantity");
        var gross = Number(fields, _gross, "gross_amount");
        var discount = Number(fields, _discount, "discount_amount");
        var net = Number(fields, _net, "net_amount");
        if (gross - discount != net)
        {
            throw new RowException($"column 'net_amount': gross {gross} − discount {discount} is {gross - discount}, not {net}.");
        }
        var organization = Text(fields, _organization);
        var repository = Text(fields, _repository);
        var workflow = Optional(fields, _workflow);
        var project = OwnerAndRepository(organization, repository);
        var os = CiImportFormats.OsFrom(sku);
        var multiplier = book.PriceFor(sku, os, DateOnly.FromDateTime(day))?.Multiplier ?? 1m;
        var run = new CiJobRun(book.Provider.Id, Context.BatchId,
            CiImportFormats.StableId("gha:", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), organization, repository, sku, Optional(fields, _username), workflow, Optional(fields, _costCenter)),
            Limit(project, 200), workflow is null ? null : Limit(workflow, 200), Limit(workflow ?? sku, 200), Limit(sku, 100), os, day, null, Seconds(quantity),
            quantity, quantity * multiplier, CiPriceBook.ToMicros(gross), CiPriceBook.ToMicros(net), book.Provider.Currency, CiJobStatus.Success, null, IsRetry: false);
        return new RunRow(line, run);
    }
}
