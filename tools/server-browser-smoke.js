// Manual browser smoke check of `tlkc server` (not part of `cargo test`): headless
// Chromium driven over the DevTools protocol (a minimal WebSocket client, Node 20
// has none built in) logs in as `dg` / `matkhau123`, picks FOLDER in the folder
// picker (<input webkitdirectory>, via DOM.setFileInputFiles), submits, waits for
// the report page and prints its verdict and any console errors.
//   node tools/server-browser-smoke.js http://127.0.0.1:8080 samples/dak-glei-2022
// A starting point for the Chromium test of issue 27 (see docs/server.md).
const http = require('http'); const crypto = require('crypto'); const { spawn } = require('child_process');
const BASE = process.argv[2], FOLDER = require('path').resolve(process.argv[3]);
function sleep(ms){return new Promise(r=>setTimeout(r,ms));}
async function main(){
  const chrome = spawn('chromium', ['--headless=new','--no-sandbox','--disable-gpu','--remote-debugging-port=9333','--user-data-dir='+require('fs').mkdtempSync(require('os').tmpdir()+'/tlkc-cdp-'),'about:blank'], {stdio:'ignore'});
  let targets;
  for (let i=0;i<50;i++){ try { targets = await getJSON('http://127.0.0.1:9333/json'); break; } catch(e){ await sleep(200);} }
  const page = targets.find(t=>t.type==='page');
  const ws = await connect(page.webSocketDebuggerUrl);
  let id=0; const pending=new Map(); const events=[];
  ws.onmessage = (m)=>{ const o=JSON.parse(m); if(o.id&&pending.has(o.id)){pending.get(o.id)(o);pending.delete(o.id);} else events.push(o); };
  const send=(method,params={})=>new Promise(r=>{const i=++id; pending.set(i,r); ws.send(JSON.stringify({id:i,method,params}));});
  const evalJS=async(expr)=>{const r=await send('Runtime.evaluate',{expression:expr,awaitPromise:true,returnByValue:true}); return r.result&&r.result.result?r.result.result.value:r;};
  await send('Page.enable'); await send('Runtime.enable'); await send('DOM.enable');
  await send('Page.navigate',{url:BASE+'/login'}); await sleep(1500);
  console.log('login page title:', await evalJS('document.title'));
  await evalJS(`document.querySelector('input[name=login]').value='dg'; document.querySelector('input[type=password]').value='matkhau123'; document.querySelector('form button[type=submit]').click(); 1`);
  await sleep(2000);
  console.log('after login:', await evalJS('location.pathname'));
  const doc = await send('DOM.getDocument');
  const q = await send('DOM.querySelector',{nodeId:doc.result.root.nodeId, selector:'input[webkitdirectory]'});
  const r = await send('DOM.setFileInputFiles',{nodeId:q.result.nodeId, files:[FOLDER]});
  console.log('setFileInputFiles:', JSON.stringify(r.error||'ok'), 'count:', await evalJS("document.getElementById('folder').files.length"), 'first rel:', await evalJS("document.getElementById('folder').files[0] && document.getElementById('folder').files[0].webkitRelativePath"));
  await evalJS(`document.querySelector('#upload button[type=submit]').click(); 1`);
  for (let i=0;i<60;i++){ await sleep(1000); const p = await evalJS('location.pathname'); if (p && p.endsWith('report.html')) { console.log('report at', p); break; } if (i%5==0) console.log('at', p, await evalJS("(document.getElementById('status')||document.getElementById('state')||{}).textContent")); }
  console.log('verdict:', await evalJS("(document.body.innerText.match(/(CHƯA SẴN SÀNG|SẴN SÀNG)[^\\n]*/)||[''])[0]"));
  const logs = events.filter(e=>e.method==='Runtime.exceptionThrown'||e.method==='Runtime.consoleAPICalled'||e.method==='Log.entryAdded').map(e=>JSON.stringify(e.params).slice(0,300));
  console.log('console/exceptions:', logs);
  chrome.kill(); process.exit(0);
}
function getJSON(u){return new Promise((res,rej)=>{http.get(u,r=>{let d='';r.on('data',c=>d+=c);r.on('end',()=>{try{res(JSON.parse(d))}catch(e){rej(e)}})}).on('error',rej);});}
function connect(url){return new Promise((res,rej)=>{const u=new URL(url);const key=crypto.randomBytes(16).toString('base64');
 const req=http.request({host:u.hostname,port:u.port,path:u.pathname,headers:{Connection:'Upgrade',Upgrade:'websocket','Sec-WebSocket-Key':key,'Sec-WebSocket-Version':'13'}});
 req.on('upgrade',(resp,sock)=>{let buf=Buffer.alloc(0);const ws={onmessage:null,send(t){const p=Buffer.from(t);let h;if(p.length<126){h=Buffer.from([0x81,0x80|p.length]);}else if(p.length<65536){h=Buffer.alloc(4);h[0]=0x81;h[1]=0x80|126;h.writeUInt16BE(p.length,2);}else{h=Buffer.alloc(10);h[0]=0x81;h[1]=0x80|127;h.writeBigUInt64BE(BigInt(p.length),2);}const m=crypto.randomBytes(4);const b=Buffer.alloc(p.length);for(let i=0;i<p.length;i++)b[i]=p[i]^m[i%4];sock.write(Buffer.concat([h,m,b]));}};
  let frag=[];sock.on('data',d=>{buf=Buffer.concat([buf,d]);for(;;){if(buf.length<2)return;let len=buf[1]&0x7f,off=2;if(len===126){if(buf.length<4)return;len=buf.readUInt16BE(2);off=4;}else if(len===127){if(buf.length<10)return;len=Number(buf.readBigUInt64BE(2));off=10;}if(buf.length<off+len)return;const fin=buf[0]&0x80, op=buf[0]&0x0f;const payload=buf.slice(off,off+len);buf=buf.slice(off+len);if(op===1||op===0){frag.push(payload);if(fin){const t=Buffer.concat(frag).toString();frag=[];ws.onmessage&&ws.onmessage(t);}}}});res(ws);});
 req.on('error',rej);req.end();});}
main().catch(e=>{console.error(e);process.exit(1);});
