namespace FundingPortal.Web.Features.Tasks;

public static class TasksModule
{
    public static IHostApplicationBuilder AddTasks(this IHostApplicationBuilder builder) =>
        builder.AddHandlers(typeof(SaveTask), typeof(GetTasks));
}
