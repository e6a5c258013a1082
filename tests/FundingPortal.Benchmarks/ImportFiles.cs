using System.Globalization;
using System.Text;

using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.Benchmarks;

/// <summary>
/// Generated export files of every import format, the same for every run and size: GitHub rows aggregate per day, SKU, repository,
/// workflow and user (the import derives each job id as a SHA-256 of that key, so ids are random); GitLab, CircleCI and the generic
/// CSV carry sequential ids.
/// </summary>
internal static class ImportFiles
{
    public static readonly string[] AllFormats = ["github-actions-csv", "github-actions-enhanced-csv", "gitlab-jobs-json", "circleci-usage-csv", "generic-csv"];

    public static readonly string[] CsvFormats = ["github-actions-csv", "github-actions-enhanced-csv", "circleci-usage-csv", "generic-csv"];

    public static string Generate(string folder, string format, int rows)
    {
        var path = Path.Combine(folder, format + (format == "gitlab-jobs-json" ? ".json" : ".csv"));
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string Day(int i) => start.AddDays(i % 365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string At(int i) => start.AddSeconds(i * 31L % (365 * 86400)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string[] oses = ["UBUNTU", "WINDOWS", "MACOS"];
        switch (format)
        {
            case "github-actions-csv":
                writer.WriteLine(string.Join(",", GitHubActionsCsv.Header));
                for (var i = 0; i < rows; i++)
                {
                    var os = oses[i % 3];
                    var (price, multiplier) = os switch { "UBUNTU" => ("0.008", 1), "WINDOWS" => ("0.016", 2), _ => ("0.08", 10) };
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Day(i)},Actions,Compute - {os},{1 + (i % 300)},minute,{price},{multiplier},acme,acme/repo-{i / 365 % 50},user-{i / 18_250},.github/workflows/ci-{i % 7}.yml,"));
                }
                break;
            case "github-actions-enhanced-csv":
                writer.WriteLine("\"date\",\"product\",\"sku\",\"quantity\",\"unit_type\",\"applied_cost_per_quantity\",\"gross_amount\",\"discount_amount\",\"net_amount\",\"username\",\"organization\",\"repository\",\"workflow_path\",\"cost_center_name\"");
                for (var i = 0; i < rows; i++)
                {
                    var quantity = 1 + (i % 300);
                    var gross = quantity * 0.006m;
                    var discount = i % 4 == 0 ? gross : 0m;
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"\"{Day(i)}\",\"actions\",\"actions_linux\",\"{quantity}\",\"minutes\",\"0.006\",\"{gross}\",\"{discount}\",\"{gross - discount}\",\"user-{i / 18_250}\",\"acme\",\"repo-{i / 365 % 50}\",\".github/workflows/ci-{i % 7}.yml\",\"\""));
                }
                break;
            case "gitlab-jobs-json":
                for (var i = 0; i < rows; i++)
                {
                    writer.Write(i % 100 == 0 ? "[\n" : ",\n");
                    var seconds = 30 + (i % 3600);
                    var status = (i % 50) switch { 0 => "failed\", \"failure_reason\": \"stuck_or_timeout_failure", 1 => "canceled", 2 => "failed\", \"failure_reason\": \"script_failure", _ => "success" };
                    writer.Write(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"id\": {10_000_000 + i}, \"name\": \"job-{i % 10}\", \"stage\": \"test\", \"status\": \"{status}\", \"created_at\": \"{At(i)}\", \"started_at\": \"{At(i)}\", " +
                        $"\"duration\": {seconds}.5, \"tag_list\": [\"saas-linux-medium-amd64\"], \"ref\": \"main\", \"web_url\": \"https://gitlab.example.com/acme/project-{i % 20}/-/jobs/{10_000_000 + i}\", " +
                        $"\"pipeline\": {{\"id\": {i / 10}, \"project_id\": {i % 20}, \"ref\": \"main\"}}, \"runner\": {{\"id\": 1, \"description\": \"shared\", \"is_shared\": true, \"runner_type\": \"instance_type\"}}}}"));
                    if (i % 100 == 99 || i == rows - 1)
                    {
                        writer.Write("\n]\n");
                    }
                }
                break;
            case "circleci-usage-csv":
                writer.WriteLine("PROJECT_NAME,VCS_BRANCH,PIPELINE_ID,PIPELINE_NUMBER,WORKFLOW_ID,WORKFLOW_NAME,JOB_NAME,JOB_ID,JOB_RUN_DATE,JOB_RUN_STARTED_AT,JOB_RUN_STOPPED_AT,JOB_BUILD_STATUS,RESOURCE_CLASS,OPERATING_SYSTEM,EXECUTOR,PARALLELISM,JOB_RUN_SECONDS,COMPUTE_CREDITS,DLC_CREDITS,STORAGE_CREDITS,NETWORK_CREDITS,TOTAL_CREDITS");
                for (var i = 0; i < rows; i++)
                {
                    var seconds = 30 + (i % 3600);
                    var credits = seconds / 6;
                    var started = start.AddSeconds(i * 31L % (365 * 86400));
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"project-{i % 20},main,pl-{i / 10},{i / 10},wf-{i / 10},\"nightly, full\",job-{i % 10},{new Guid(i, 0, 0, new byte[8])},{started:yyyy-MM-dd},{started:yyyy-MM-dd HH:mm:ss.fff},{started.AddSeconds(seconds):yyyy-MM-dd HH:mm:ss.fff},{(i % 40 == 0 ? "failed" : "success")},medium,linux,docker,1,{seconds},{credits},0,0,0,{credits}"));
                }
                break;
            default:
                writer.WriteLine(string.Join(",", GenericCsv.Header));
                for (var i = 0; i < rows; i++)
                {
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"GitLab CI,acme/project-{i % 20},nightly,job-{i % 10},saas-linux-small-amd64,{At(i)},,{30 + (i % 3600)},{(i % 40 == 0 ? "timed_out" : "success")},{(i % 2 == 0 ? "0.05" : "")},USD,run-{i}"));
                }
                break;
        }
        return path;
    }
}
