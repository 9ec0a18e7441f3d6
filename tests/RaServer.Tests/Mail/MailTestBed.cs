using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Tests.Mail;

/// <summary>A fresh migrated database, a fake clock, and the outbox and senders under test.</summary>
internal sealed class MailTestBed : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 3, 1, 0, 0, TimeSpan.Zero);

    private MailTestBed(NpgsqlDataSource dataSource, MailOptions options)
    {
        DataSource = dataSource;
        Options = options;
        Units = new UnitOfWorkFactory(dataSource, MailOutboxSettings.ForSender(options.FromAddress), Clock);
    }

    public NpgsqlDataSource DataSource { get; }
    public MailOptions Options { get; }
    public FakeTimeProvider Clock { get; } = new(Start);
    public UnitOfWorkFactory Units { get; }

    public static async Task<MailTestBed> CreateAsync(Fixtures.PostgresFixture pg, MailOptions options) =>
        new(NpgsqlDataSource.Create(await pg.CreateDatabaseAsync()), options);

    public static MailOptions SmtpOptions(Fixtures.SmtpServerFixture smtp) => new()
    {
        Transport = MailTransportKind.Smtp,
        Smtp = new SmtpSettings { Host = smtp.Host, Port = smtp.Port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10) },
        FromAddress = "ra-noreply@ra.test",
        FirstRetryDelay = TimeSpan.FromSeconds(30),
        MaxBackoff = TimeSpan.FromMinutes(10),
    };

    public MailSender NewSender(IMailTransport transport, TimeProvider? clock = null) =>
        new(Units, transport, Microsoft.Extensions.Options.Options.Create(Options), clock ?? Clock, NullLogger<MailSender>.Instance);

    public MailSender NewSmtpSender() => NewSender(new SmtpTransport(Microsoft.Extensions.Options.Options.Create(Options)));

    /// <summary>Enqueues in a transaction of its own that commits, as a workflow step would.</summary>
    public async Task<bool> EnqueueAsync(MailNotice notice)
    {
        await using var uow = await Units.BeginAsync(CancellationToken.None);
        var added = await uow.Mail.EnqueueAsync(notice, CancellationToken.None);
        await uow.CommitAsync(CancellationToken.None);
        return added;
    }

    public async Task<IReadOnlyList<OutboxRow>> RowsAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            SELECT id AS Id, kind AS Kind, dedup_key AS DedupKey, message_id AS MessageId, attempts AS Attempts,
                   next_attempt_at AS NextAttemptAt, last_error AS LastError, sent_at AS SentAt
            FROM mail_outbox ORDER BY id
            """))).AsList();
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

internal sealed record OutboxRow(long Id, string Kind, string DedupKey, string MessageId, int Attempts, DateTime NextAttemptAt, string? LastError, DateTime? SentAt);
