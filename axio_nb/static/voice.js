function et(t,{sampleRate:s=24e3,channels:n=1}={}){let[e,...r]=String(t).split(";");if(e.trim().toLowerCase()!=="audio/pcm")return null;let a=s,c=n;for(let u of r){let[g,p]=u.split("=").map(b=>b.trim().toLowerCase()),f=Number(p);!Number.isInteger(f)||f<=0||(g==="rate"?a=f:g==="channels"&&(c=f))}return{sampleRate:a,channels:c}}function ot(t){let s=new Int16Array(t.length);for(let n=0;n<t.length;n++){let e=t[n];s[n]=e>=1?32767:e<=-1?-32768:Math.round(e<0?e*32768:e*32767)}return s}function at(t){let s=new Float32Array(t.length);for(let n=0;n<t.length;n++)s[n]=t[n]/32768;return s}function it(t){return t instanceof Uint8Array?t:ArrayBuffer.isView(t)?new Uint8Array(t.buffer,t.byteOffset,t.byteLength):new Uint8Array(t)}var G=class{constructor(s=1){this.frameBytes=2*s,this.carry=new Uint8Array(0)}push(s){let n=it(s);if(this.carry.length){let a=new Uint8Array(this.carry.length+n.length);a.set(this.carry),a.set(n,this.carry.length),n=a}let e=n.length-n.length%this.frameBytes;this.carry=n.slice(e);let r=new Int16Array(e/2);for(let a=0,c=0;a<r.length;a++,c+=2)r[a]=(n[c]|n[c+1]<<8)<<16>>16;return r}get pending(){return this.carry.length}},D=class{constructor(s,n,e=1){if(!(s>0&&n>0))throw new RangeError(`axio_nb: sample rates must be positive (got ${s} → ${n})`);this.from=s,this.to=n,this.channels=e,this.step=s/n,this.pos=0,this.prev=null}process(s){let n=this.channels,e=Math.floor(s.length/n);if(this.from===this.to)return s.slice(0,e*n);if(e===0)return new Float32Array(0);let r=this.prev,a=r?1:0,c=e-1+a,u=(b,v)=>b<a&&r?r[v]:s[(b-a)*n+v],g=Math.max(0,Math.ceil((c-this.pos)/this.step)),p=new Float32Array(g*n),f=this.pos;for(let b=0;b<g;b++,f=this.pos+b*this.step){let v=Math.floor(f),y=f-v;for(let i=0;i<n;i++){let m=u(v,i);p[b*n+i]=m+y*(u(v+1,i)-m)}}return this.pos=this.pos+g*this.step-c,this.prev=s.slice((e-1)*n,e*n),p}flush(){let s=this.channels;if(this.from===this.to||!this.prev)return new Float32Array(0);let n=Math.max(0,Math.ceil((1-this.pos)/this.step)),e=new Float32Array(n*s);for(let r=0;r<n;r++)e.set(this.prev,r*s);return this.pos=0,this.prev=null,e}};function ct(t){if(!t.length)return 0;let s=t instanceof Int16Array?1/32768:1,n=0;for(let e=0;e<t.length;e++){let r=t[e]*s;n+=r*r}return Math.sqrt(n/t.length)}var J=class{constructor(s){this.data=new Float32Array(s),this.readAt=0,this.available=0}get capacity(){return this.data.length}get space(){return this.data.length-this.available}write(s){let n=this.data.length,e=Math.min(s.length,n-this.available),r=(this.readAt+this.available)%n,a=Math.min(e,n-r);return this.data.set(s.subarray(0,a),r),e>a&&this.data.set(s.subarray(a,e),0),this.available+=e,e}read(s,n=s.length){let e=this.data.length,r=Math.min(n,s.length,this.available),a=Math.min(r,e-this.readAt);return s.set(this.data.subarray(this.readAt,this.readAt+a),0),r>a&&s.set(this.data.subarray(0,r-a),a),this.readAt=(this.readAt+r)%e,this.available-=r,r}clear(){this.readAt=0,this.available=0}};var ut=new WeakMap;function Q(t,s,n){let e=ut.get(t);e||ut.set(t,e=new Map);let r=e.get(s);if(!r){if(!t.audioWorklet){let c="axio_nb: this browser has no AudioWorklet (Web Audio needs https or localhost)";return Promise.reject(new Error(c))}let a=URL.createObjectURL(new Blob([n],{type:"text/javascript"}));r=t.audioWorklet.addModule(a).finally(()=>URL.revokeObjectURL(a)),r.catch(()=>e.delete(s)),e.set(s,r)}return r}var $="or pass a file or a variable instead.",X={blocked:`Microphone blocked: allow it in the browser's site settings, ${$}`,"no-device":`No microphone found: connect one (and check the system's privacy settings), ${$}`,insecure:`The microphone needs https or localhost: open the notebook through one of them, ${$}`,busy:`The microphone could not be opened (another application may hold it): close that and retry, ${$}`,suspended:"Audio is paused until the page is clicked: start the microphone from a click.",unsupported:`This browser cannot capture audio (no AudioWorklet): use a current browser, ${$}`,ended:"The microphone stopped: it was unplugged, or its permission was taken back."},yt=`VS Code notebooks cannot use the microphone (microsoft/vscode#119127): open the notebook in JupyterLab or Notebook 7 in a browser, ${$}`;function bt(t=globalThis.location){return t?.protocol==="vscode-webview:"}var R=class extends Error{constructor(s,n,e){super(n,{cause:e}),this.name="CaptureError",this.reason=s}};function nt(t,{secure:s=globalThis.isSecureContext,vscode:n=bt()}={}){if(t instanceof R)return t;let e=t?.name??"",r=u=>new R(u,n&&u==="blocked"?yt:X[u],t??void 0);if(t===null)return r(n?"blocked":s===!1?"insecure":"unsupported");switch(e){case"NotAllowedError":case"PermissionDeniedError":case"SecurityError":return r("blocked");case"NotFoundError":case"DevicesNotFoundError":return r("no-device");case"OverconstrainedError":{let g=`No microphone matches the constraint ${t.constraint||"?"}: drop it, ${$}`;return new R("no-device",g,t)}case"NotReadableError":case"TrackStartError":case"AbortError":return r("busy")}let a=String(t?.message??t).split(`
`)[0],c=`The microphone failed to start (${e||"Error"}: ${a}), ${$}`;return new R("failed",c,t)}var st="axio-nb-pcm-capture",wt=1e3,xt=500,vt=`
class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.size = o.batchFrames;
    this.batch = new Float32Array(this.size);
    this.fill = 0;
    this.done = false;
    this.port.onmessage = ({ data: m }) => {
      if (m.type !== "stop") return;
      this.flush();
      this.done = true;
      this.port.postMessage({ type: "stopped" });
    };
  }
  flush() {
    if (!this.fill) return;
    const frames = this.batch;
    this.port.postMessage({ type: "frames", frames, length: this.fill }, [frames.buffer]);
    // The transfer detached the old array (its length is 0 now).
    this.batch = new Float32Array(this.size);
    this.fill = 0;
  }
  process(inputs) {
    if (this.done) return false;
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    for (let at = 0; at < input.length; ) {
      const n = Math.min(input.length - at, this.size - this.fill);
      this.batch.set(input.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.size) this.flush();
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(st)}, PcmCaptureProcessor);
`;async function lt({onChunk:t,onLevel:s,onEnd:n,sampleRate:e=24e3,chunkMs:r=40,constraints:a,context:c}){let u=globalThis.navigator?.mediaDevices;if(!globalThis.isSecureContext||!u?.getUserMedia)throw nt(null);let g;try{g=await u.getUserMedia({audio:{echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,...a}})}catch(d){throw nt(d)}let p=c??new AudioContext({latencyHint:"interactive"}),f=!c,[b]=g.getAudioTracks(),v=null,y=null,i=!1,m=()=>{if(!i){i=!0;for(let d of g.getTracks())d.stop();v?.disconnect(),y&&(y.port.onmessage=null,y.disconnect()),f&&p.state!=="closed"&&p.close().catch(()=>{})}};try{if(await Q(p,st,vt).catch(d=>{throw new R("unsupported",X.unsupported,d)}),p.state!=="running"&&await Promise.race([p.resume(),new Promise(d=>setTimeout(d,wt))]),p.state!=="running")throw new R("suspended",X.suspended);v=p.createMediaStreamSource(g),y=new AudioWorkletNode(p,st,{numberOfInputs:1,numberOfOutputs:1,outputChannelCount:[1],channelCount:1,channelCountMode:"explicit",channelInterpretation:"speakers",processorOptions:{batchFrames:Math.max(128,Math.round(p.sampleRate*Math.min(r,20)/1e3))}})}catch(d){throw m(),nt(d)}let x=new D(p.sampleRate,e,1),h=Math.max(1,Math.round(e*r/1e3)),_=new Float32Array(h),A=0,S=d=>{A=0,s?.(Math.min(1,ct(d))),t(ot(d).buffer)},O=d=>{for(let E=0;E<d.length;){let C=Math.min(h-A,d.length-E);_.set(d.subarray(E,E+C),A),A+=C,E+=C,A===h&&S(_)}},k=null,L=()=>{},T=()=>{i||(O(x.flush()),A&&S(_.subarray(0,A)),m(),L())};y.port.onmessage=({data:d})=>{d.type==="frames"?O(x.process(d.frames.subarray(0,d.length))):d.type==="stopped"&&T()},b?.addEventListener("ended",()=>{k||i||(T(),n?.(new R("ended",X.ended)))}),v.connect(y),y.connect(p.destination);let U=y;return Object.freeze({stop(){return k??=new Promise(d=>{if(L=d,i)return d();U.port.postMessage({type:"stop"}),setTimeout(T,xt)}),k},sampleRate:e,inputSampleRate:p.sampleRate,settings:b?.getSettings?.()??{}})}var Z="axio-nb-pcm-player",pt=`
const Ring = (${J.toString()});
class PcmPlayerProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.channels = o.channels;
    this.ring = new Ring(o.capacityFrames * o.channels);
    this.startFrames = o.startFrames;
    this.progressFrames = o.progressFrames;
    this.tmp = new Float32Array(128 * o.channels);
    this.playing = false;
    this.ending = false;
    this.done = false;
    this.heard = false;
    this.started = false;
    this.read = 0;
    this.reported = 0;
    this.port.onmessage = ({ data: m }) => {
      if (m.type === "data") {
        const n = this.ring.write(m.samples);
        if (n < m.samples.length) this.post("overflow", { dropped: m.samples.length - n });
      } else if (m.type === "end") this.ending = true;
      else if (m.type === "stop") {
        this.done = true;
        this.ring.clear();
      }
    };
  }
  post(type, extra) {
    this.reported = this.read;
    this.port.postMessage({ type, read: this.read, time: currentTime, ...extra });
  }
  process(inputs, outputs) {
    if (this.done) return false;
    const out = outputs[0];
    const n = out[0].length;
    const ch = this.channels;
    const frames = this.ring.available / ch;
    if (!this.playing && (frames >= this.startFrames || (this.ending && frames > 0))) {
      this.playing = true;
      this.post("playing", { first: !this.started });
      this.started = true;
    }
    if (this.playing) {
      const got = Math.min(n, frames);
      this.ring.read(this.tmp, got * ch);
      for (let c = 0; c < out.length; c++) {
        const dst = out[c];
        const src = c < ch ? c : 0;
        for (let i = 0; i < got; i++) dst[i] = this.tmp[i * ch + src];
      }
      if (!this.heard) {
        for (let i = 0; i < got * ch; i++) {
          if (this.tmp[i] !== 0) {
            this.heard = true;
            this.post("audible", { time: currentTime + Math.floor(i / ch) / sampleRate });
            break;
          }
        }
      }
      this.read += got;
      if (got < n) {
        this.playing = false;
        if (!this.ending) this.post("underrun");
      }
    }
    if (!this.playing && this.ending && this.ring.available === 0) {
      this.post("ended");
      this.done = true;
      return false;
    }
    if (this.read - this.reported >= this.progressFrames) this.post("progress");
    return true;
  }
}
registerProcessor(${JSON.stringify(Z)}, PcmPlayerProcessor);
`;var ht=100,At=50,kt=300,N=new Set(["ended","stopped","error"]);function dt({sampleRate:t=24e3,channels:s=1,context:n,destination:e,prebufferMs:r=0,leadMs:a=2e3}={}){let c=n??e?.context,u=c??new AudioContext({latencyHint:"interactive"}),g=!c,p=u.sampleRate,f=new G(s),b=new D(t,p,s),v=Math.max(1,Math.round(t*ht/1e3))*s,y=Math.max(1,Math.round(p*a/1e3)),i=[],m=0,x=0,h=0,_=!1,A=!1,S="loading",O=null,k=null,L=null,T=null,U=null,d=()=>{},E=new Promise(l=>d=l),C=()=>N.has(S)||u.state==="running"?S:"suspended";function w(l){l&&(S=l);let M=C();M!==O&&(O=M,q.onstate?.(M))}function Y(l){let M=u.getOutputTimestamp?.();return M?.performanceTime&&M.contextTime!==void 0?M.performanceTime+(l-M.contextTime)*1e3:performance.now()+(u.outputLatency||u.baseLatency||0)*1e3}function j(l){!k||!l.length||(x+=l.length/s,k.port.postMessage({type:"data",samples:l},[l.buffer]))}function W(){if(!(!k||N.has(S))){for(;i.length&&x-h<y;){let l=i[0];l.length>v?(i[0]=l.subarray(v),l=l.subarray(0,v)):i.shift(),m-=l.length/s,j(b.process(at(l)))}_&&!i.length&&!A&&(j(b.flush()),k.port.postMessage({type:"end"}),A=!0)}}function I({data:l}){switch(h=l.read,l.type){case"playing":l.first&&(L=Y(l.time)),w("playing");break;case"audible":T=Y(l.time);break;case"underrun":w("underrun");break;case"ended":return B("ended");case"overflow":console.warn(`axio_nb: the player's buffer overflowed; ${l.dropped} samples dropped`);break}W()}function K(){u.state==="closed"?B("stopped"):w()}function B(l){if(!N.has(S)){if(i.length=0,m=0,k&&(l!=="ended"&&k.port.postMessage({type:"stop"}),k.port.onmessage=null,k.disconnect()),u.removeEventListener("statechange",K),g&&u.state!=="closed"){let M=()=>u.close().catch(()=>{});l==="ended"?setTimeout(M,kt):M()}w(l),d(l)}}let q={push(l){if(_||N.has(S))return;let M=f.push(l);M.length&&(i.push(M),m+=M.length/s,W())},end(){_||N.has(S)||(_=!0,W())},stop(){B("stopped")},resume(){return u.resume()},get state(){return C()},get startedAt(){return L},get audibleAt(){return T},get playedSeconds(){return h/p},get bufferedSeconds(){return N.has(S)?0:(x-h)/p+m/t},get context(){return u},get error(){return U},done:E,onstate:null};return u.addEventListener("statechange",K),queueMicrotask(()=>w()),g&&u.state==="suspended"&&u.resume().catch(()=>{}),Q(u,Z,pt).then(()=>{N.has(S)||(k=new AudioWorkletNode(u,Z,{numberOfInputs:0,numberOfOutputs:1,outputChannelCount:[s],processorOptions:{channels:s,capacityFrames:y+2*Math.ceil(p*ht/1e3)+128,startFrames:Math.max(1,Math.min(y,Math.round(p*r/1e3))),progressFrames:Math.round(p*At/1e3)}}),k.port.onmessage=I,k.connect(e??u.destination),w("waiting"),W())}).catch(l=>{U=l,B("error")}),q}var Mt=120;function ft({context:t,onstate:s,createPlayer:n=dt}){let e=null,r=24e3,a=2,c=[],u=0,g=0,p=!1,f={played:0,underruns:0,played_ms:0},b={played:0,underruns:0,played_ms:0};function v(){if(!e)return;let i=e.playedSeconds;i>g&&(f.played_ms+=Math.round((i-g)*1e3),g=i);let m=Math.floor(i*r)*a;for(;c.length&&c[0]<=m;)c.shift(),f.played+=1}function y(i){if(e)return e;let m=et(i)??{sampleRate:24e3,channels:1};r=m.sampleRate,a=2*m.channels,c=[],u=0,g=0;let x=n({...m,context:t(),prebufferMs:Mt});return x.onstate=h=>{h==="underrun"&&(f.underruns+=1),h==="playing"&&!p&&x.startedAt!==null&&(p=!0,globalThis.performance?.mark?.("axio-nb:speech-playing",{startTime:x.startedAt})),s?.(h)},x.done.then(h=>{h!=="ended"||e!==x||(v(),f.played+=c.length,c=[],e=null)}),e=x}return{push(i,m,x){let h=y(i);for(let _ of m)c.push(u+=_);h.push(x)},end(){e?.end()},flush(){if(!e)return 0;v();let i=Math.round(e.bufferedSeconds*1e3);return e.stop(),e=null,c=[],globalThis.performance?.mark?.("axio-nb:voice-flush",{detail:{buffered_ms:i}}),i},increments(){v();let i={played:f.played-b.played,underruns:f.underruns-b.underruns,played_ms:f.played_ms-b.played_ms};return Object.assign(b,f),i.played||i.underruns||i.played_ms?i:null},counts:f,get player(){return e},stop(){e?.stop(),e=null}}}function F(t,s,n,e){let r=t.createElement(s);return n&&(r.className=n),e!==void 0&&(r.textContent=e),r}function z(t,s,n,e,r){let a=F(t,"button",s,n);return a.type="button",a.setAttribute("aria-label",e),a.addEventListener("click",r),a}var mt={connecting:"Connecting…",listening:"Listening","user speaking":"You are speaking","assistant speaking":"Assistant speaking",ended:"Ended"},Et=500,St=/or pass a file or a variable instead\.$/;function Ct(t){return t instanceof R?{reason:t.reason,text:t.message.replace(St,"or type your turn in the box below.")}:{reason:"failed",text:`The microphone failed (${String(t)}): type your turn in the box below.`}}var Qt={render({model:t,el:s}){let n=s.ownerDocument,e=F(n,"div","axio-nb-voice"),r=F(n,"div","axio-nb-voice-row"),a=z(n,"axio-nb-voice-mic","🎙 Microphone","Microphone",()=>{Y()}),c=F(n,"div","axio-nb-voice-level");c.setAttribute("role","meter"),c.setAttribute("aria-label","Microphone level"),c.setAttribute("aria-valuemin","0"),c.setAttribute("aria-valuemax","100");let u=F(n,"div","axio-nb-voice-level-bar");c.append(u);let g=F(n,"span","axio-nb-voice-state");g.setAttribute("role","status");let p=z(n,"axio-nb-voice-mute","Mute","Mute",()=>{t.send({type:"mute",on:!E()}),S=!E(),w()}),f=z(n,"axio-nb-voice-talk","Push to talk","Push to talk",()=>{}),b=z(n,"axio-nb-voice-end","End","End",()=>{B()});r.append(a,c,g,p,f,b);let v=F(n,"div","axio-nb-voice-type"),y=F(n,"input","axio-nb-voice-text");y.type="text",y.placeholder="Type a message…",y.setAttribute("aria-label","Message to send");let i=z(n,"axio-nb-voice-send","Send","Send",()=>K());v.append(y,i);let m=F(n,"div","axio-nb-voice-message");m.setAttribute("role","alert"),e.append(r,v,m),s.replaceChildren(e);let x=null,h="off",_=0,A=!1,S=null,O=null,k=()=>O??=new AudioContext({latencyHint:"interactive"}),L=()=>{globalThis.AudioContext&&k().resume().catch(()=>{})},T=ft({context:k,onstate:o=>{o==="suspended"?m.textContent="The browser paused the voice: click anywhere here to hear it.":m.dataset.kind!=="mic"&&(m.textContent="")}}),U=!1,d=()=>!!t.get("push_to_talk"),E=()=>S??!!t.get("muted"),C=()=>U||t.get("state")==="ended";function w(){let o=U?"ended":String(t.get("state")||"connecting");e.dataset.state=o,e.dataset.mic=h,e.dataset.muted=String(E()),e.dataset.talking=String(A),g.textContent=E()&&h==="on"?`${mt[o]??o} · muted`:mt[o]??o,a.textContent=h==="on"?"■ Microphone":"🎙 Microphone",a.setAttribute("aria-pressed",String(h==="on")),a.disabled=C()||!(Number(t.get("rate"))>0)||h!=="off"&&h!=="on",p.setAttribute("aria-pressed",String(E())),p.textContent=E()?"Unmute":"Mute",p.disabled=C(),c.setAttribute("aria-valuetext",E()?"muted":`${c.getAttribute("aria-valuenow")??0}`),f.setAttribute("aria-pressed",String(A)),f.disabled=C()||!d()||!(Number(t.get("rate"))>0),f.title=d()?"Hold to talk (or hold the space bar); release to send":"This session detects speech by itself; start one with push_to_talk=True (--push-to-talk) to talk by holding",b.disabled=C(),y.disabled=i.disabled=C()}async function Y(){L(),h==="off"?await j():h==="on"&&await W(!0)}async function j(){let o=Number(t.get("rate"));if(!(!(o>0)||h!=="off")){h="starting",w();try{x=await lt({sampleRate:o,chunkMs:40,onChunk:P=>{E()||d()&&!A||t.send({type:"audio",seq:_++,t:Date.now()},void 0,[P])},onLevel:P=>{let H=E()?0:Math.min(100,Math.round(Math.sqrt(P)*140));u.style.width=`${H}%`,c.setAttribute("aria-valuenow",String(H))},onEnd:P=>q(P)})}catch(P){q(P);return}h="on",m.textContent="",t.send({type:"started",rate:x.sampleRate}),w()}}async function W(o){h!=="on"||!x||(h="stopping",w(),await x.stop(),x=null,u.style.width="0%",h="off",o&&t.send({type:"mic_off",chunks:_}),w())}async function I(o){!d()||o===A||C()||(o?(L(),A=!0,t.send({type:"talk",on:!0}),w(),h==="off"&&await j()):(A=!1,t.send({type:"talk",on:!1}),w()))}function K(){let o=y.value.trim();!o||C()||(L(),t.send({type:"text",text:o}),y.value="")}async function B(){await W(!1),t.send({type:"end"}),b.disabled=!0}function q(o){let{reason:P,text:H}=Ct(o);m.textContent=H,m.dataset.kind="mic",h="off",x=null,w(),t.send({type:"error",reason:P,message:H}),I(!1)}f.addEventListener("pointerdown",o=>{f.setPointerCapture?.(o.pointerId),I(!0)});for(let o of["pointerup","pointercancel","lostpointercapture"])f.addEventListener(o,()=>{I(!1)});let l=o=>{if(o.target===y){o.type==="keydown"&&o.key==="Enter"&&!o.shiftKey&&!o.isComposing&&(o.preventDefault(),K());return}o.key!==" "||!d()||(o.preventDefault(),o.stopPropagation(),o.repeat||I(o.type==="keydown"))};e.addEventListener("keydown",l),e.addEventListener("keyup",l),e.addEventListener("click",()=>{O?.resume().catch(()=>{})});let M=(o,P)=>{switch(o?.type){case"audio":P?.[0]&&T.push(String(o.media_type),Array.isArray(o.sizes)?o.sizes:[],P[0]);break;case"audio_end":T.end();break;case"flush":T.flush(),tt();break;case"stop":W(!1),T.stop(),tt();break}};function tt(){let o=T.increments();o&&t.send({type:"playback",...o})}let gt=setInterval(tt,Et),V=()=>{if(U)return;let o=C();U=!0,W(!1),T.stop(),A=!1,w(),o||(g.textContent="Ended: the kernel is gone")},rt=()=>{S=null,w()};return t.on("msg:custom",M),t.on("change:state",w),t.on("change:rate",w),t.on("change:muted",rt),t.on("change:push_to_talk",w),t.on("comm:close",V),t.on("destroy",V),t.on("comm_live_update",V),w(),()=>{clearInterval(gt),t.off("msg:custom",M),t.off("change:state",w),t.off("change:rate",w),t.off("change:muted",rt),t.off("change:push_to_talk",w),t.off("comm:close",V),t.off("destroy",V),t.off("comm_live_update",V),T.stop(),x?.stop(),O?.close().catch(()=>{})}}};export{Qt as default,Ct as micMessage};
