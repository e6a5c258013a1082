namespace FundingPortal.Core.Data.Configurations;

internal sealed class DevopsTaskConfiguration : IEntityTypeConfiguration<DevopsTask>
{
    public void Configure(EntityTypeBuilder<DevopsTask> builder)
    {
        builder.ToTable("Tasks");
        builder.Property(t => t.Title).HasMaxLength(DevopsTask.TitleMaxLength);
        builder.Property(t => t.Slug).HasMaxLength(Organisation.SlugMaxLength);
        builder.Property(t => t.Description).HasColumnType("text");
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.HasIndex(t => t.Status);
        builder.HasMany(t => t.History).WithOne().HasForeignKey(h => h.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(t => t.MoneyGoal);
        builder.Ignore(t => t.HoursGoal);
        builder.Ignore(t => t.AcceptsPledges);
    }
}
