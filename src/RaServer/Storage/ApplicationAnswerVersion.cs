namespace RaServer.Storage;

/// <summary>
/// What changes whenever anything in a GetApplication answer changes, read in one cheap statement.
/// Every UPDATE writes a new row version with the writing transaction's id as its xmin, so the application row's and
/// its slip's xmin change with any column of theirs (whoever the writer, and even when no event is written, such as
/// the issued serial or the registered office); SELECT … FOR UPDATE does not change them. The one thing in the answer
/// stored elsewhere is the last event sequence, which the sequencer sets on application_events after the commit.
/// An xmin could only come back after 2^32 transactions; a wrong match would need exactly that many between two reads
/// of one cached application, with nothing in between dropping its entry.
/// </summary>
/// <param name="ApplicationXmin">applications.xmin of the row.</param>
/// <param name="SlipXmin">payment_slips.xmin of its slip, null while none was issued.</param>
/// <param name="LastEventSequence">The highest numbered event of the application, 0 while none is numbered.</param>
public readonly record struct ApplicationAnswerVersion(uint ApplicationXmin, uint? SlipXmin, long LastEventSequence);
