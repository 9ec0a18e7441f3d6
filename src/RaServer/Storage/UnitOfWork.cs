using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// One connection and, for a change, one transaction, with the stores that read and write in it. A state change,
/// its event row (written by the table's trigger), its audit row and its outbox rows commit together or not at all.
/// Services, the signed-request pipeline and the workers all get theirs from <see cref="UnitOfWorkFactory"/>; none
/// of them opens a connection or a transaction itself.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly CommittedChanges _committed;
    private readonly TimeProvider _clock;

    internal UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction? transaction, MailOutboxSettings mail, TimeProvider clock,
        CommittedChanges committed)
    {
        _connection = connection;
        _transaction = transaction;
        _committed = committed;
        _clock = clock;
        Applications = new ApplicationStore(connection, transaction);
        PaymentSlips = new PaymentSlipStore(connection, transaction);
        CaRequests = new CaRequestStore(connection, transaction);
        Certificates = new CertificateStore(connection, transaction);
        GovernmentCertificates = new GovernmentCertificateStore(connection, transaction);
        Staff = new StaffStore(connection, transaction);
        Eligibility = new EligibilityFactsReader(connection, transaction);
        Qualification = new HolderQualification(connection, transaction);
        Journal = new SignedRequestJournal(connection, transaction);
        Audit = new AuditTrail(connection, transaction);
        Mail = new MailOutbox(connection, transaction, mail, clock);
        ExpiryNotices = new ExpiryNoticeStore(connection, transaction);
        RegistryImport = new RegistryImportStore(connection, transaction);
    }

    public ApplicationStore Applications { get; }
    public PaymentSlipStore PaymentSlips { get; }
    public CaRequestStore CaRequests { get; }
    public CertificateStore Certificates { get; }
    public GovernmentCertificateStore GovernmentCertificates { get; }
    public StaffStore Staff { get; }
    public EligibilityFactsReader Eligibility { get; }
    public HolderQualification Qualification { get; }
    public SignedRequestJournal Journal { get; }
    public AuditTrail Audit { get; }
    public MailOutbox Mail { get; }
    public ExpiryNoticeStore ExpiryNotices { get; }
    public RegistryImportStore RegistryImport { get; }

    /// <summary>
    /// Serialises every unit of work that takes the same <paramref name="key"/> until this one ends (a transaction
    /// advisory lock), for decisions that must see each other's outcome, such as two intakes of one request id.
    /// </summary>
    public Task LockAsync(string key, CancellationToken ct) =>
        _connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key }, RequireTransaction(), cancellationToken: ct));

    /// <summary>
    /// Takes the transaction advisory lock <paramref name="key"/> until this unit of work ends, without waiting: false
    /// when another unit of work holds it, for work that only one replica at a time should do at all.
    /// </summary>
    public Task<bool> TryLockAsync(long key, CancellationToken ct) =>
        _connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_xact_lock(@key)", new { key }, RequireTransaction(), cancellationToken: ct));

    /// <summary>Makes the change durable. A unit of work disposed without this rolls back, leaving nothing behind.</summary>
    /// <remarks>
    /// Every change of an application leaves its audit row here, in the same transaction, naming who asked
    /// (<see cref="AuditCaller"/>): one home for it, so no service or worker can change an application unaudited.
    /// </remarks>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (Applications.Moves.Count > 0)
        {
            var caller = AuditCaller.Current ?? AuditCaller.System;
            await Audit.RecordAcceptedAsync(caller.Actor(), caller.Rpc, new { applications = Applications.Moves.Select(m => new { application = m.Application, state = m.State }) }, _clock.GetUtcNow(), ct);
        }
        await RequireTransaction().CommitAsync(ct);
        if (Applications.WroteEvents)
            _committed.RaiseEventsWritten();
        if (CaRequests.Enqueued)
            _committed.RaiseCaRequestsQueued();
        // Before the caller answers, so this replica's next read does not first try the answer it just made old.
        foreach (var id in Applications.Changed)
            _committed.RaiseApplicationChanged(id);
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
            await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private NpgsqlTransaction RequireTransaction() =>
        _transaction ?? throw new InvalidOperationException("this unit of work was opened for reading only");
}

/// <summary>Where units of work come from: one per change (or per consistent read), over the process's data source.</summary>
public sealed class UnitOfWorkFactory(NpgsqlDataSource dataSource, MailOutboxSettings mail, TimeProvider clock,
    CommittedChanges? committed = null)
{
    // Tools and benchmarks that build a factory by hand have nobody listening.
    private readonly CommittedChanges _committed = committed ?? new CommittedChanges();

    /// <summary>A unit of work with a transaction: commit it, or dispose it to roll back.</summary>
    public async Task<UnitOfWork> BeginAsync(CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            return new UnitOfWork(connection, await connection.BeginTransactionAsync(ct), mail, clock, _committed);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A unit of work without a transaction, for reads that need no snapshot across statements.</summary>
    public async Task<UnitOfWork> OpenForReadingAsync(CancellationToken ct) =>
        new(await dataSource.OpenConnectionAsync(ct), null, mail, clock, _committed);

    /// <summary>
    /// A unit of work without a transaction whose every statement commits on its own, for a write that is whole in one
    /// statement (the CA dispatcher's lease), where BEGIN and COMMIT would only add two round trips.
    /// </summary>
    public Task<UnitOfWork> OpenForSingleStatementsAsync(CancellationToken ct) => OpenForReadingAsync(ct);
}
