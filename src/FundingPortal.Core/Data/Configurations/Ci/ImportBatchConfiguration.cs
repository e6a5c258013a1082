namespace FundingPortal.Core.Data.Configurations;

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        // The format's id, as long as the enum it replaced was (AppDbContext stores enums as names of at most 40 characters).
        builder.Property(b => b.Format).HasMaxLength(40);
        builder.Property(b => b.FileName).HasMaxLength(260);
        builder.Property(b => b.FileSha256).HasMaxLength(64);
        builder.Property(b => b.FailureReason).HasMaxLength(1000);
        // A file is imported once while its batch stands; after a rollback or a failure the same file may be imported again.
        builder.HasIndex(b => b.FileSha256).IsUnique().HasFilter("\"Status\" IN ('Running', 'Completed')");
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(b => b.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(b => b.Rejections).WithOne().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}
