function X(t,{sampleRate:r=24e3,channels:e=1}={}){let[n,...s]=String(t).split(";");if(n.trim().toLowerCase()!=="audio/pcm")return null;let o=r,u=e;for(let v of s){let[c,f]=v.split("=").map(x=>x.trim().toLowerCase()),h=Number(f);!Number.isInteger(h)||h<=0||(c==="rate"?o=h:c==="channels"&&(u=h))}return{sampleRate:o,channels:u}}function at(t){let r=new Int16Array(t.length);for(let e=0;e<t.length;e++){let n=t[e];r[e]=n>=1?32767:n<=-1?-32768:Math.round(n<0?n*32768:n*32767)}return r}function it(t){let r=new Float32Array(t.length);for(let e=0;e<t.length;e++)r[e]=t[e]/32768;return r}function ct(t){return t instanceof Uint8Array?t:ArrayBuffer.isView(t)?new Uint8Array(t.buffer,t.byteOffset,t.byteLength):new Uint8Array(t)}var J=class{constructor(r=1){this.frameBytes=2*r,this.carry=new Uint8Array(0)}push(r){let e=ct(r);if(this.carry.length){let o=new Uint8Array(this.carry.length+e.length);o.set(this.carry),o.set(e,this.carry.length),e=o}let n=e.length-e.length%this.frameBytes;this.carry=e.slice(n);let s=new Int16Array(n/2);for(let o=0,u=0;o<s.length;o++,u+=2)s[o]=(e[u]|e[u+1]<<8)<<16>>16;return s}get pending(){return this.carry.length}},j=class{constructor(r,e,n=1){if(!(r>0&&e>0))throw new RangeError(`axio_nb: sample rates must be positive (got ${r} → ${e})`);this.from=r,this.to=e,this.channels=n,this.step=r/e,this.pos=0,this.prev=null}process(r){let e=this.channels,n=Math.floor(r.length/e);if(this.from===this.to)return r.slice(0,n*e);if(n===0)return new Float32Array(0);let s=this.prev,o=s?1:0,u=n-1+o,v=(x,M)=>x<o&&s?s[M]:r[(x-o)*e+M],c=Math.max(0,Math.ceil((u-this.pos)/this.step)),f=new Float32Array(c*e),h=this.pos;for(let x=0;x<c;x++,h=this.pos+x*this.step){let M=Math.floor(h),w=h-M;for(let S=0;S<e;S++){let b=v(M,S);f[x*e+S]=b+w*(v(M+1,S)-b)}}return this.pos=this.pos+c*this.step-u,this.prev=r.slice((n-1)*e,n*e),f}flush(){let r=this.channels;if(this.from===this.to||!this.prev)return new Float32Array(0);let e=Math.max(0,Math.ceil((1-this.pos)/this.step)),n=new Float32Array(e*r);for(let s=0;s<e;s++)n.set(this.prev,s*r);return this.pos=0,this.prev=null,n}};function lt(t){if(!t.length)return 0;let r=t instanceof Int16Array?1/32768:1,e=0;for(let n=0;n<t.length;n++){let s=t[n]*r;e+=s*s}return Math.sqrt(e/t.length)}var Q=class{constructor(r){this.data=new Float32Array(r),this.readAt=0,this.available=0}get capacity(){return this.data.length}get space(){return this.data.length-this.available}write(r){let e=this.data.length,n=Math.min(r.length,e-this.available),s=(this.readAt+this.available)%e,o=Math.min(n,e-s);return this.data.set(r.subarray(0,o),s),n>o&&this.data.set(r.subarray(o,n),0),this.available+=n,n}read(r,e=r.length){let n=this.data.length,s=Math.min(e,r.length,this.available),o=Math.min(s,n-this.readAt);return r.set(this.data.subarray(this.readAt,this.readAt+o),0),s>o&&r.set(this.data.subarray(0,s-o),o),this.readAt=(this.readAt+s)%n,this.available-=s,s}clear(){this.readAt=0,this.available=0}};var ut=globalThis[Symbol.for("axio_nb.worklets")]??=new WeakMap;function Z(t,r,e){let n=ut.get(t);n||ut.set(t,n=new Map);let s=n.get(r);if(!s){if(!t.audioWorklet){let u="axio_nb: this browser has no AudioWorklet (Web Audio needs https or localhost)";return Promise.reject(new Error(u))}let o=URL.createObjectURL(new Blob([e],{type:"text/javascript"}));s=t.audioWorklet.addModule(o).finally(()=>URL.revokeObjectURL(o)),s.catch(()=>n.delete(r)),n.set(r,s)}return s}var N="or pass a file or a variable instead.",tt={blocked:`Microphone blocked: allow it in the browser's site settings, ${N}`,"no-device":`No microphone found: connect one (and check the system's privacy settings), ${N}`,insecure:`The microphone needs https or localhost: open the notebook through one of them, ${N}`,busy:`The microphone could not be opened (another application may hold it): close that and retry, ${N}`,suspended:"Audio is paused until the page is clicked: start the microphone from a click.",unsupported:`This browser cannot capture audio (no AudioWorklet): use a current browser, ${N}`,ended:"The microphone stopped: it was unplugged, or its permission was taken back."},wt=`VS Code notebooks cannot use the microphone (microsoft/vscode#119127): open the notebook in JupyterLab or Notebook 7 in a browser, ${N}`;function xt(t=globalThis.location){return t?.protocol==="vscode-webview:"}var O=class extends Error{constructor(r,e,n){super(e,{cause:n}),this.name="CaptureError",this.reason=r}};function st(t,{secure:r=globalThis.isSecureContext,vscode:e=xt()}={}){if(t instanceof O)return t;let n=t?.name??"",s=v=>new O(v,e&&v==="blocked"?wt:tt[v],t??void 0);if(t===null)return s(e?"blocked":r===!1?"insecure":"unsupported");switch(n){case"NotAllowedError":case"PermissionDeniedError":case"SecurityError":return s("blocked");case"NotFoundError":case"DevicesNotFoundError":return s("no-device");case"OverconstrainedError":{let c=`No microphone matches the constraint ${t.constraint||"?"}: drop it, ${N}`;return new O("no-device",c,t)}case"NotReadableError":case"TrackStartError":case"AbortError":return s("busy")}let o=String(t?.message??t).split(`
`)[0],u=`The microphone failed to start (${n||"Error"}: ${o}), ${N}`;return new O("failed",u,t)}var rt="axio-nb-pcm-capture",vt=1e3,Mt=500,At=`
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
registerProcessor(${JSON.stringify(rt)}, PcmCaptureProcessor);
`;async function pt({onChunk:t,onLevel:r,onEnd:e,sampleRate:n=24e3,chunkMs:s=40,constraints:o,context:u}){let v=globalThis.navigator?.mediaDevices;if(!globalThis.isSecureContext||!v?.getUserMedia)throw st(null);let c;try{c=await v.getUserMedia({audio:{echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,...o}})}catch(p){throw st(p)}let f=u??new AudioContext({latencyHint:"interactive"}),h=!u,[x]=c.getAudioTracks(),M=null,w=null,S=!1,b=()=>{if(!S){S=!0;for(let p of c.getTracks())p.stop();M?.disconnect(),w&&(w.port.onmessage=null,w.disconnect()),h&&f.state!=="closed"&&f.close().catch(()=>{})}};try{if(await Z(f,rt,At).catch(p=>{throw new O("unsupported",tt.unsupported,p)}),f.state!=="running"&&await Promise.race([f.resume(),new Promise(p=>setTimeout(p,vt))]),f.state!=="running")throw new O("suspended",tt.suspended);M=f.createMediaStreamSource(c),w=new AudioWorkletNode(f,rt,{numberOfInputs:1,numberOfOutputs:1,outputChannelCount:[1],channelCount:1,channelCountMode:"explicit",channelInterpretation:"speakers",processorOptions:{batchFrames:Math.max(128,Math.round(f.sampleRate*Math.min(s,20)/1e3))}})}catch(p){throw b(),st(p)}let a=new j(f.sampleRate,n,1),l=Math.max(1,Math.round(n*s/1e3)),m=new Float32Array(l),g=0,T=p=>{g=0,r?.(Math.min(1,lt(p))),t(at(p).buffer)},y=p=>{for(let _=0;_<p.length;){let F=Math.min(l-g,p.length-_);m.set(p.subarray(_,_+F),g),g+=F,_+=F,g===l&&T(m)}},R=null,A=()=>{},k=()=>{S||(y(a.flush()),g&&T(m.subarray(0,g)),b(),A())};w.port.onmessage=({data:p})=>{p.type==="frames"?y(a.process(p.frames.subarray(0,p.length))):p.type==="stopped"&&k()},x?.addEventListener("ended",()=>{R||S||(k(),e?.(new O("ended",tt.ended)))}),M.connect(w),w.connect(f.destination);let P=w;return Object.freeze({stop(){return R??=new Promise(p=>{if(A=p,S)return p();P.port.postMessage({type:"stop"}),setTimeout(k,Mt)}),R},sampleRate:n,inputSampleRate:f.sampleRate,settings:x?.getSettings?.()??{}})}var et="axio-nb-pcm-player",ht=`
const Ring = (${Q.toString()});
class PcmPlayerProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.channels = o.channels;
    this.ring = new Ring(o.capacityFrames * o.channels);
    this.startFrames = o.startFrames;
    this.waitFrames = o.waitFrames || 0;
    /** The output frame at which frames first arrived while not playing (null: none since). */
    this.waitingSince = null;
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
        if (!this.playing && this.waitingSince === null && n > 0) this.waitingSince = currentFrame;
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
    const waited =
      this.waitFrames > 0 && this.waitingSince !== null && currentFrame - this.waitingSince >= this.waitFrames;
    if (!this.playing && frames > 0 && (frames >= this.startFrames || this.ending || waited)) {
      this.playing = true;
      this.waitingSince = null;
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
registerProcessor(${JSON.stringify(et)}, PcmPlayerProcessor);
`;var dt=100,St=50,kt=300,D=new Set(["ended","stopped","error"]);function ft({sampleRate:t=24e3,channels:r=1,context:e,destination:n,prebufferMs:s=0,maxWaitMs:o=0,leadMs:u=2e3}={}){let v=e??n?.context,c=v??new AudioContext({latencyHint:"interactive"}),f=!v,h=c.sampleRate,x=new J(r),M=new j(t,h,r),w=Math.max(1,Math.round(t*dt/1e3))*r,S=Math.max(1,Math.round(h*u/1e3)),b=[],a=0,l=0,m=0,g=!1,T=!1,y="loading",R=null,A=null,k=null,P=null,p=null,_=()=>{},F=new Promise(d=>_=d),E=()=>D.has(y)||c.state==="running"?y:"suspended";function $(d){d&&(y=d);let C=E();C!==R&&(R=C,Y.onstate?.(C))}function H(d){let C=c.getOutputTimestamp?.();return C?.performanceTime&&C.contextTime!==void 0?C.performanceTime+(d-C.contextTime)*1e3:performance.now()+(c.outputLatency||c.baseLatency||0)*1e3}function B(d){!A||!d.length||(l+=d.length/r,A.port.postMessage({type:"data",samples:d},[d.buffer]))}function W(){if(!(!A||D.has(y))){for(;b.length&&l-m<S;){let d=b[0];d.length>w?(b[0]=d.subarray(w),d=d.subarray(0,w)):b.shift(),a-=d.length/r,B(M.process(it(d)))}g&&!b.length&&!T&&(B(M.flush()),A.port.postMessage({type:"end"}),T=!0)}}function q({data:d}){switch(m=d.read,d.type){case"playing":d.first&&(k=H(d.time)),$("playing");break;case"audible":P=H(d.time);break;case"underrun":$("underrun");break;case"ended":return V("ended");case"overflow":console.warn(`axio_nb: the player's buffer overflowed; ${d.dropped} samples dropped`);break}W()}function G(){c.state==="closed"?V("stopped"):$()}function V(d){if(!D.has(y)){if(b.length=0,a=0,A&&(d!=="ended"&&A.port.postMessage({type:"stop"}),A.port.onmessage=null,A.disconnect()),c.removeEventListener("statechange",G),f&&c.state!=="closed"){let C=()=>c.close().catch(()=>{});d==="ended"?setTimeout(C,kt):C()}$(d),_(d)}}let Y={push(d){if(g||D.has(y))return;let C=x.push(d);C.length&&(b.push(C),a+=C.length/r,W())},end(){g||D.has(y)||(g=!0,W())},stop(){V("stopped")},resume(){return c.resume()},get state(){return E()},get startedAt(){return k},get audibleAt(){return P},get playedSeconds(){return m/h},get bufferedSeconds(){return D.has(y)?0:(l-m)/h+a/t},get context(){return c},get error(){return p},done:F,onstate:null};return c.addEventListener("statechange",G),queueMicrotask(()=>$()),f&&c.state==="suspended"&&c.resume().catch(()=>{}),Z(c,et,ht).then(()=>{D.has(y)||(A=new AudioWorkletNode(c,et,{numberOfInputs:0,numberOfOutputs:1,outputChannelCount:[r],processorOptions:{channels:r,capacityFrames:S+2*Math.ceil(h*dt/1e3)+128,startFrames:Math.max(1,Math.min(S,Math.round(h*s/1e3))),waitFrames:Math.max(0,Math.round(h*o/1e3)),progressFrames:Math.round(h*St/1e3)}}),A.port.onmessage=q,A.connect(n??c.destination),$("waiting"),W())}).catch(d=>{p=d,V("error")}),Y}var mt=120,Et=60,Tt=20,_t=50,Ct=Symbol.for("axio_nb.voicePlayers");function gt({context:t,onstate:r,createPlayer:e=ft,now:n=()=>performance.now()}){let s=null,o=null,u=[],v=!1,c=Et,f=[],h={played:0,underruns:0,played_ms:0},x={played:0,underruns:0,played_ms:0};function M(a){if(!a)return;let l=a.player.playedSeconds;l>a.playedSec&&(h.played_ms+=Math.round((l-a.playedSec)*1e3),a.playedSec=l);let m=Math.floor(l*a.sampleRate)*a.frameBytes;for(;a.ends.length&&a.ends[0]<=m;)a.ends.shift(),h.played+=1}function w(a){if(typeof a!="number"||!Number.isFinite(a))return 0;let l=n()-a;return f.push(l),f.length>_t&&f.shift(),Math.max(0,l-Math.min(...f))}function S(a,l){let m=X(a)??{sampleRate:24e3,channels:1},g=Math.max(1,Math.round(c-l)),T=e({...m,context:t(),prebufferMs:mt,maxWaitMs:g}),y={player:T,ends:[],pushed:0,playedSec:0,sampleRate:m.sampleRate,frameBytes:2*m.channels};T.onstate=k=>{k==="underrun"&&(h.underruns+=1,c=Math.min(mt,c+Tt)),k==="playing"&&!v&&T.startedAt!==null&&(v=!0,globalThis.performance?.mark?.("axio-nb:speech-playing",{startTime:T.startedAt})),r?.(k)};let R=globalThis,A=R[Ct]??=new Set;return A.add(T),T.done.then(k=>{if(A.delete(T),k==="ended"&&(M(y),h.played+=y.ends.length,y.ends=[],s===y&&(s=null),o===y)){o=null;let P=u;u=[];for(let p of P)p?b.push(p.mediaType,p.sizes,p.data):b.end()}}),y}let b={push(a,l,m,g){let T=w(g);if(!s&&o){u.push({mediaType:a,sizes:l,data:m});return}let y=s??=S(a,T);for(let R of l)y.ends.push(y.pushed+=R);y.player.push(m)},end(){if(!s&&o){u.length&&u.push(null);return}if(!s)return;let a=s;s=null,o=a,a.player.end()},flush(){let a=0;for(let m of[o,s])m&&(M(m),a+=m.player.bufferedSeconds*1e3,m.player.stop());for(let m of u){let g=m&&(X(m.mediaType)??{sampleRate:24e3,channels:1});m&&g&&(a+=m.data.byteLength/(2*g.channels)/g.sampleRate*1e3)}let l=s||o||u.length;return s=o=null,u=[],l?(a=Math.round(a),globalThis.performance?.mark?.("axio-nb:voice-flush",{detail:{buffered_ms:a}}),a):0},increments(){M(o),M(s);let a={played:h.played-x.played,underruns:h.underruns-x.underruns,played_ms:h.played_ms-x.played_ms};return Object.assign(x,h),a.played||a.underruns||a.played_ms?a:null},counts:h,get player(){return(o??s)?.player??null},stop(){o?.player.stop(),s?.player.stop(),s=o=null,u=[]}};return b}function U(t,r,e,n){let s=t.createElement(r);return e&&(s.className=e),n!==void 0&&(s.textContent=n),s}function K(t,r,e,n,s){let o=U(t,"button",r,e);return o.type="button",o.setAttribute("aria-label",n),o.addEventListener("click",s),o}var yt={connecting:"Connecting…",listening:"Listening","user speaking":"You are speaking","assistant speaking":"Assistant speaking",ended:"Ended"},Ft=500,Rt=100,Pt=/or pass a file or a variable instead\.$/;function Lt(t){return t instanceof O?{reason:t.reason,text:t.message.replace(Pt,"or type your turn in the box below.")}:{reason:"failed",text:`The microphone failed (${String(t)}): type your turn in the box below.`}}var se={render({model:t,el:r}){let e=r.ownerDocument,n=U(e,"div","axio-nb-voice"),s=U(e,"div","axio-nb-voice-row"),o=K(e,"axio-nb-voice-mic","● Microphone","Microphone",()=>{$()}),u=U(e,"div","axio-nb-voice-level");u.setAttribute("role","meter"),u.setAttribute("aria-label","Microphone level"),u.setAttribute("aria-valuemin","0"),u.setAttribute("aria-valuemax","100");let v=U(e,"div","axio-nb-voice-level-bar");u.append(v);let c=U(e,"span","axio-nb-voice-state");c.setAttribute("role","status");let f=K(e,"axio-nb-voice-mute","Mute","Mute",()=>{t.send({type:"mute",on:!_()}),T=!_(),E()}),h=K(e,"axio-nb-voice-talk","Push to talk","Push to talk",()=>{}),x=K(e,"axio-nb-voice-end","End","End",()=>{G()});s.append(o,u,c,f,h,x);let M=U(e,"div","axio-nb-voice-type"),w=U(e,"input","axio-nb-voice-text");w.type="text",w.placeholder="Type a message…",w.setAttribute("aria-label","Message to send");let S=K(e,"axio-nb-voice-send","Send","Send",()=>q());M.append(w,S);let b=U(e,"div","axio-nb-voice-message");b.setAttribute("role","alert"),n.append(s,M,b),r.replaceChildren(n);let a=null,l="off",m=0,g=!1,T=null,y=null,R=()=>y??=new AudioContext({latencyHint:"interactive"}),A=()=>{globalThis.AudioContext&&R().resume().catch(()=>{})},k=gt({context:R,onstate:i=>{i==="suspended"?b.textContent="The browser paused the voice: click anywhere here to hear it.":b.dataset.kind!=="mic"&&(b.textContent="")}}),P=!1,p=()=>!!t.get("push_to_talk"),_=()=>T??!!t.get("muted"),F=()=>P||t.get("state")==="ended";function E(){let i=P?"ended":String(t.get("state")||"connecting");n.dataset.state=i,n.dataset.mic=l,n.dataset.muted=String(_()),n.dataset.talking=String(g),c.textContent=_()&&l==="on"?`${yt[i]??i} · muted`:yt[i]??i,o.textContent=l==="on"?"■ Microphone":"● Microphone",o.setAttribute("aria-pressed",String(l==="on")),o.disabled=F()||!(Number(t.get("rate"))>0)||l!=="off"&&l!=="on",f.setAttribute("aria-pressed",String(_())),f.textContent=_()?"Unmute":"Mute",f.disabled=F(),u.setAttribute("aria-valuetext",_()?"muted":`${u.getAttribute("aria-valuenow")??0}`),h.setAttribute("aria-pressed",String(g)),h.disabled=F()||!p()||!(Number(t.get("rate"))>0),h.title=p()?"Hold to talk (or hold the space bar); release to send":"This session detects speech by itself; start one with push_to_talk=True (--push-to-talk) to talk by holding",x.disabled=F(),w.disabled=S.disabled=F()}async function $(){A(),l==="off"?await H():l==="on"&&await B(!0)}async function H(){let i=Number(t.get("rate"));if(!(!(i>0)||l!=="off")){l="starting",E();try{a=await pt({sampleRate:i,chunkMs:Rt,onChunk:L=>{_()||p()&&!g||t.send({type:"audio",seq:m++,t:Date.now()},void 0,[L])},onLevel:L=>{let I=_()?0:Math.min(100,Math.round(Math.sqrt(L)*140));v.style.width=`${I}%`,u.setAttribute("aria-valuenow",String(I))},onEnd:L=>V(L)})}catch(L){V(L);return}l="on",b.textContent="",t.send({type:"started",rate:a.sampleRate}),E()}}async function B(i){l!=="on"||!a||(l="stopping",E(),await a.stop(),a=null,v.style.width="0%",l="off",i&&t.send({type:"mic_off",chunks:m}),E())}async function W(i){!p()||i===g||F()||(i?(A(),g=!0,t.send({type:"talk",on:!0}),E(),l==="off"&&await H()):(g=!1,t.send({type:"talk",on:!1}),E()))}function q(){let i=w.value.trim();!i||F()||(A(),t.send({type:"text",text:i}),w.value="")}async function G(){await B(!1),t.send({type:"end"}),x.disabled=!0}function V(i){let{reason:L,text:I}=Lt(i);b.textContent=I,b.dataset.kind="mic",l="off",a=null,E(),t.send({type:"error",reason:L,message:I}),W(!1)}h.addEventListener("pointerdown",i=>{h.setPointerCapture?.(i.pointerId),W(!0)});for(let i of["pointerup","pointercancel","lostpointercapture"])h.addEventListener(i,()=>{W(!1)});let Y=i=>{if(i.target===w){i.type==="keydown"&&i.key==="Enter"&&!i.shiftKey&&!i.isComposing&&(i.preventDefault(),q());return}i.key!==" "||!p()||(i.preventDefault(),i.stopPropagation(),i.repeat||W(i.type==="keydown"))};n.addEventListener("keydown",Y),n.addEventListener("keyup",Y),n.addEventListener("click",()=>{y?.resume().catch(()=>{})});let d="audio/pcm;rate=24000",C=(i,L)=>{switch(i?.type){case"audio":{typeof i.media_type=="string"&&(d=i.media_type);let I=L?.[0];I&&k.push(d,Array.isArray(i.sizes)?i.sizes:[I.byteLength],I,i.t);break}case"audio_end":k.end();break;case"flush":k.flush(),nt();break;case"stop":B(!1),k.stop(),nt();break}};function nt(){let i=k.increments();i&&t.send({type:"playback",...i})}let bt=setInterval(nt,Ft),z=()=>{if(P)return;let i=F();P=!0,B(!1),k.stop(),g=!1,E(),i||(c.textContent="Ended: the kernel is gone")},ot=()=>{T=null,E()};return t.on("msg:custom",C),t.on("change:state",E),t.on("change:rate",E),t.on("change:muted",ot),t.on("change:push_to_talk",E),t.on("comm:close",z),t.on("destroy",z),t.on("comm_live_update",z),E(),()=>{clearInterval(bt),t.off("msg:custom",C),t.off("change:state",E),t.off("change:rate",E),t.off("change:muted",ot),t.off("change:push_to_talk",E),t.off("comm:close",z),t.off("destroy",z),t.off("comm_live_update",z),k.stop(),a?.stop(),y?.close().catch(()=>{})}}};export{Rt as MIC_CHUNK_MS,se as default,Lt as micMessage};
