namespace FundingPortal.Web.Features.Tasks;

public static class TasksModule
{
    public static IHostApplicationBuilder AddTasks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SaveTask>();
        builder.Services.AddScoped<GetTasks>();
        return builder;
    }
}
