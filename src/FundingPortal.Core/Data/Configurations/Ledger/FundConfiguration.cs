namespace FundingPortal.Core.Data.Configurations;

internal sealed class FundConfiguration : IEntityTypeConfiguration<Fund>
{
    public void Configure(EntityTypeBuilder<Fund> builder)
    {
        builder.Property(f => f.Name).HasMaxLength(DevopsTask.TitleMaxLength);
        builder.HasOne(f => f.Task).WithOne(t => t.Fund).HasForeignKey<Fund>(f => f.TaskId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => f.TaskId).IsUnique();
    }
}
