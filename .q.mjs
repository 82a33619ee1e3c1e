import neo4j from 'neo4j-driver';
const d = neo4j.driver('bolt://127.0.0.1:7687', neo4j.auth.basic('neo4j', process.env.NEO4J_PASSWORD ?? 'tiersight-dev'));
const s = d.session();
const q = process.argv[2];
const r = await s.run(q);
console.log(JSON.stringify(r.records.map((x) => x.toObject())).slice(0, 3000));
await s.close(); await d.close();
